using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Search;
using ContentApi.Sources;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>Filters and order of an article list, already validated.</summary>
public sealed record ArticleFilter(
    ArticleStatus? Status, string? Language, Guid? PersonId, Guid? SourceId, string? Tag, string? Q,
    DateTime? PublishedAfter, DateTime? PublishedBefore, DateTime? UpdatedSince, string Sort);

/// <summary>The parts of an article that cost reads beyond its row (the body is detoasted, each link list is an index scan).</summary>
[Flags]
public enum ArticleParts
{
    None = 0,
    Body = 1,
    People = 2,
    Sources = 4,
    QuoteIds = 8,
    All = Body | People | Sources | QuoteIds,
}

public sealed partial class ArticleRepository(NpgsqlDataSource dataSource, IOptions<SearchOptions>? search = null, ReadDataSource? readSource = null)
{
    private readonly ReadDataSource reads = readSource ?? new(dataSource);
    private readonly int firstSpan = search?.Value.WindowFirstSpan ?? RankedWindow.FirstSpan;

    public const string DefaultSort = "-publishedAt";
    public static readonly IReadOnlyCollection<string> Sorts = ["-publishedAt", "publishedAt", "-updatedAt"];

    /// <summary>Every column of an article, link arrays included.</summary>
    private static readonly string Columns = ColumnsOf(ArticleParts.All);

    private static readonly string[] ColumnsByParts = [.. Enumerable.Range(0, (int)ArticleParts.All + 1).Select(p => ColumnsOf((ArticleParts)p))];

    /// <summary>
    /// An article's columns; a part left out reads as empty. The body is detoasted and parsed, and each link array is
    /// an index scan per row, so lists that leave them out skip that work (docs/performance-log.md, item 11).
    /// </summary>
    private static string ColumnsOf(ArticleParts parts)
    {
        string Part(ArticleParts part, string read, string empty) => parts.HasFlag(part) ? read : empty;
        string Links(ArticleParts part, string table, string column, string type, string name) =>
            Part(part, $"array(select x.{column} from {table} x where x.article_id = a.id order by x.position)", $"'{{}}'::{type}[]") + " as " + name;
        return $"""
            a.id, a.slug, a.title, a.summary, a.language, a.status, a.published_at, a.section, a.tags, a.byline,
            a.hero_image::text as hero_image, {Part(ArticleParts.Body, "a.body::text", "'[]'")} as body, a.corrections::text as corrections,
            {Links(ArticleParts.People, "article_people", "person_id", "uuid", "person_ids")},
            {Links(ArticleParts.People, "article_people", "role", "text", "person_roles")},
            {Links(ArticleParts.Sources, "article_sources", "source_id", "uuid", "source_ids")},
            {Links(ArticleParts.Sources, "article_sources", "relation", "text", "source_relations")},
            {Links(ArticleParts.QuoteIds, "article_quotes", "quote_id", "uuid", "quote_ids")},
            a.version, a.created_at, a.updated_at
            """;
    }

    /// <summary>The parts of an article that fields= (null: all fields) keeps; embedded quotes need the quote ids.</summary>
    public static ArticleParts PartsFor(IReadOnlySet<string>? fields)
    {
        if (fields is null) return ArticleParts.All;
        var parts = ArticleParts.None;
        if (fields.Contains("body")) parts |= ArticleParts.Body;
        if (fields.Contains("people")) parts |= ArticleParts.People;
        if (fields.Contains("sources")) parts |= ArticleParts.Sources;
        if (fields.Contains("quoteIds") || fields.Contains("quotes")) parts |= ArticleParts.QuoteIds;
        return parts;
    }

    /// <summary>Readers see published articles whose time has come (article_visible, migration 0011); scheduled ones appear by themselves.</summary>
    private const string Visible = "article_visible(a.status, a.published_at)";

    /// <summary>
    /// Webhook data (ChangeRecorder): the recorded state while readers may see the article, else null, so an event
    /// about a draft or a scheduled article carries only its id. Readers get the same fields as editors.
    /// </summary>
    private const string ReaderView = "case when article_visible(e.state->>'status', (e.state->>'publishedAt')::timestamptz) then e.state end";

    private static string VisibleAnd(Audience audience) => audience == Audience.Reader ? " and " + Visible : "";

    /// <summary>The articles whose ids <paramref name="idsSql"/> selects, as the audience may see them, for another resource's include.</summary>
    public static string EmbedSql(Audience audience, string idsSql) =>
        $"select {Columns} from articles a where a.id in ({idsSql}){VisibleAnd(audience)}";

    /// <summary>
    /// The newest 20 articles (by publication) of each row of the caller's CTE <c>t</c>, as the audience may see them;
    /// <paramref name="idsOfRowSql"/> selects one row's article ids in terms of <c>t.id</c>.
    /// </summary>
    public static string NewestEmbedSql(Audience audience, string idsOfRowSql) => $"""
        select {Columns}
        from t cross join lateral (
          select a.id from articles a where a.id in ({idsOfRowSql}){VisibleAnd(audience)}
          order by a.published_sort desc, a.id desc limit 20) n
        join articles a on a.id = n.id
        """;

    private static readonly string Rank = FullText.Rank("a");
    // The expression of the weekly search index (migration 0003); its weeks are those of published_at and published_sort.
    private const string Weekly = "search_weekly(a.search, a.published_at)";

    // One statement: the article, its links in request order, and its quotes' new versions. The links are not visible
    // to the statement's own select, so the link arrays come back from the parameters they were inserted from. An
    // undelete (version > 1) brings back the corrections readers saw: the delete's revision, one version before, kept them.
    private const string Insert = """
        with a as (
          insert into articles as a (id, slug, title, summary, language, status, published_at, section, tags, byline, hero_image, body, corrections, version)
          values (@Id, @Slug, @Title, @Summary, @Language, @Status, @PublishedAt, @Section, @Tags, @Byline, @HeroImage::jsonb, @Body::jsonb,
                  coalesce((select r.state->'corrections' from revisions r
                            where r.entity = 'article' and r.id = @Id and r.version = @Version - 1 and r.op = 'delete'), '[]'),
                  @Version)
          returning a.id, a.slug, a.title, a.summary, a.language, a.status, a.published_at, a.section, a.tags, a.byline,
                    a.hero_image::text as hero_image, a.body::text as body, a.corrections::text as corrections, a.version, a.created_at, a.updated_at),
        people as (
          insert into article_people (article_id, person_id, role, position)
          select a.id, x.person_id, x.role, x.ord - 1 from a cross join unnest(@PersonIds, @PersonRoles) with ordinality as x(person_id, role, ord)),
        sources as (
          insert into article_sources (article_id, source_id, relation, position)
          select a.id, x.source_id, x.relation, x.ord - 1 from a cross join unnest(@SourceIds, @SourceRelations) with ordinality as x(source_id, relation, ord)),
        quotes as (
          insert into article_quotes (article_id, quote_id, position)
          select a.id, x.quote_id, x.ord - 1 from a cross join unnest(@QuoteIds) with ordinality as x(quote_id, ord)),
        touched as (update quotes set version = version + 1, updated_at = now() where id = any(@Touched))
        select a.id, a.slug, a.title, a.summary, a.language, a.status, a.published_at, a.section, a.tags, a.byline, a.hero_image, a.body,
               a.corrections, @PersonIds as person_ids, @PersonRoles as person_roles, @SourceIds as source_ids,
               @SourceRelations as source_relations, @QuoteIds as quote_ids, a.version, a.created_at, a.updated_at
        from a
        """;

    /// <summary>
    /// One correction as a one-element jsonb array, stamped with the transaction's now() (the updatedAt of the version
    /// that carries it) as RFC 3339 UTC text: to_jsonb(timestamptz) would follow the session's time zone.
    /// </summary>
    private const string CorrectionEntry =
        """jsonb_build_array(jsonb_build_object('at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'text', @Correction::text))""";

    // Returns whether what readers may see changed (status or time), and whether readers could see the article, from
    // the row as it was before the update. Corrections are only ever appended; no request sets them.
    private const string Update = $"""
        update articles a set slug = @Slug, title = @Title, summary = @Summary, language = @Language, status = @Status,
               published_at = @PublishedAt, section = @Section, tags = @Tags, byline = @Byline,
               hero_image = @HeroImage::jsonb, body = @Body::jsonb,
               corrections = case when @Correction::text is null then a.corrections else a.corrections || {CorrectionEntry} end,
               version = a.version + 1, updated_at = now()
        from (select status, published_at from articles where id = @Id) old
        where a.id = @Id and a.version = @Expected
        returning (old.status is distinct from a.status or old.published_at is distinct from a.published_at) as visibility_changed,
                  article_visible(old.status, old.published_at) as was_public
        """;

    // A quote's correction reaches the articles readers see it in; each gets a new version.
    private const string CorrectQuoteUsers = $"""
        update articles a set corrections = a.corrections || {CorrectionEntry}, version = a.version + 1, updated_at = now()
        where a.id in (select aq.article_id from article_quotes aq where aq.quote_id = @QuoteId)
          and article_visible(a.status, a.published_at)
        returning a.id
        """;

    private const string ReplacePeople = """
        delete from article_people where article_id = @Id;
        insert into article_people (article_id, person_id, role, position)
        select @Id, x.person_id, x.role, x.ord - 1 from unnest(@PersonIds, @PersonRoles) with ordinality as x(person_id, role, ord);
        delete from article_sources where article_id = @Id;
        insert into article_sources (article_id, source_id, relation, position)
        select @Id, x.source_id, x.relation, x.ord - 1 from unnest(@SourceIds, @SourceRelations) with ordinality as x(source_id, relation, ord);
        delete from article_quotes where article_id = @Id and quote_id <> all(@QuoteIds);
        insert into article_quotes (article_id, quote_id, position)
        select @Id, x.quote_id, x.ord - 1 from unnest(@QuoteIds) with ordinality as x(quote_id, ord)
        on conflict (article_id, quote_id) do update set position = excluded.position
        """;

    // A quote that stays linked keeps its place in the body (ReplacePeople leaves it), and the place follows the text
    // when an edit moves it; see VerbatimCheck.
    private const string AnchorsById = """
        select aq.quote_id, q.text, aq.body_block, aq.body_start, aq.body_end
        from article_quotes aq join quotes q on q.id = aq.quote_id
        where aq.article_id = @Id and aq.body_block is not null
        order by aq.position
        """;

    private const string AnchorsBySlug = """
        select aq.quote_id, q.text, aq.body_block, aq.body_start, aq.body_end
        from article_quotes aq join quotes q on q.id = aq.quote_id
        where aq.article_id = (select a.id from articles a where a.slug = @Slug) and aq.body_block is not null
        order by aq.position
        """;

    private const string AnchorsOfQuote = """
        select aq.article_id, a.body::text, aq.quote_id, q.text, aq.body_block, aq.body_start, aq.body_end
        from article_quotes aq join articles a on a.id = aq.article_id join quotes q on q.id = aq.quote_id
        where aq.quote_id = @Id and aq.body_block is not null
        order by aq.article_id
        """;

    private const string MoveAnchors = """
        update article_quotes aq set body_block = x.block, body_start = x.start_at, body_end = x.end_at
        from unnest(@QuoteIds, @Blocks, @Starts, @Ends) as x(quote_id, block, start_at, end_at)
        where aq.article_id = @Id and aq.quote_id = x.quote_id
        """;

    private const string LinkedQuotes = "select quote_id from article_quotes where article_id = @Id";

    // Before an article stops being visible, its quotes' feed rows learn that readers may hold them, so the
    // change that hides them reaches readers as a tombstone (see sync_changes.ever_public).
    private const string MarkQuotesSeen = """
        update sync_changes set ever_public = true
        where entity = 'quote' and not ever_public
          and id in (select aq.quote_id from article_quotes aq join articles a on a.id = aq.article_id
                     where a.id = @Id and article_visible(a.status, a.published_at))
        """;

    private const string TouchQuotes = "update quotes set version = version + 1, updated_at = now() where id = any(@Ids)";

    private const string Publish = """
        update articles set status = 'published', published_at = coalesce(@PublishedAt, published_at, now()),
               version = version + 1, updated_at = now()
        where id = @Id and (@Expected = 0 or version = @Expected)
        returning id
        """;

    private const string Unpublish = """
        update articles set status = 'draft', version = version + 1, updated_at = now()
        where id = @Id and (@Expected = 0 or version = @Expected)
        returning id
        """;

    private const string VersionOf = "select version from articles where id = @Id";

    private const string Delete = "delete from articles where id = @Id and version = @Expected";

    public static List<ArticleResponse> Newest(IEnumerable<ArticleResponse> articles) =>
        articles.OrderByDescending(a => a.PublishedAt ?? DateTime.MinValue).ThenByDescending(a => a.Id).Take(20).ToList();

    /// <summary>The one batch <see cref="GetAsync"/> sends for a slug (parameter @Slug); the benchmark's pgbench ceiling runs it.</summary>
    public static string GetBySlugSql(Audience audience, ArticleIncludes include) => GetSql(false, audience, include);

    // Editors' batch ends with the anchored quotes, for the warnings (VerbatimCheck); readers' batch is unchanged.
    private static string GetSql(bool byId, Audience audience, ArticleIncludes include) =>
        BatchSql($"select {Columns} from articles a where {(byId ? "a.id = @Id" : "a.slug = @Slug")}{VisibleAnd(audience)}", audience, include)
        + (audience == Audience.Reader ? "" : ";\n" + (byId ? AnchorsById : AnchorsBySlug));

    // GetAsync's batch per (id or slug, audience, includes), built once: its text never changes, and building it
    // took a dozen kilobytes of string concatenation per request.
    private readonly string?[] getSql = new string?[ArticleIncludes.Combinations * 4];

    public async Task<ArticleResponse?> GetAsync(IdOrSlug key, Audience audience, ArticleIncludes include, CancellationToken ct)
    {
        var slot = include.Ordinal * 4 + (key.Id is null ? 0 : 2) + (audience == Audience.Reader ? 1 : 0);
        var sql = getSql[slot] ??= GetSql(key.Id is not null, audience, include);
        // A slug outside the column's rules cannot exist; asking would only let a NUL or an overlong value fail at bind.
        if (key.Id is null && !SlugRule().IsMatch(key.Slug ?? ""))
            return null;
        await using var conn = await reads.For(audience).OpenConnectionAsync(ct);
        // The hottest read runs prepared, explicitly (auto-prepare is off, see Database.ConfigureDataSource): PostgreSQL
        // then neither parses nor plans its statements again, most of its CPU for this batch.
        // The Parse goes out alone, once per physical connection; later PrepareAsync calls cost nothing.
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (key.Id is { } id) cmd.Parameters.Add(new NpgsqlParameter<Guid>("Id", id));
        else cmd.Parameters.Add(new NpgsqlParameter<string>("Slug", key.Slug!));
        await cmd.PrepareAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var articles = await AssembleAsync(include,
            () => Database.ReadSetAsync<ArticleRow>(reader, ct), () => Database.ReadSetAsync<QuoteRow>(reader, ct),
            () => Database.ReadSetAsync<PersonRow>(reader, ct), () => Database.ReadSetAsync<SourceRow>(reader, ct));
        var article = articles.SingleOrDefault();
        if (audience == Audience.Reader || article is null) return article;
        var (warnings, _) = VerbatimCheck.Run(article.Body, await Database.ReadSetAsync<QuoteAnchor>(reader, ct));
        return WithWarnings(article, warnings);
    }

    private static ArticleResponse WithWarnings(ArticleResponse article, List<ArticleWarning> warnings) =>
        warnings.Count == 0 ? article : article with { Warnings = warnings };

    /// <summary>
    /// Inside a quote write's transaction, after its text changed: for each article that held the quote, moves its place
    /// to where the text now is, or returns a warning when the text is no longer there.
    /// </summary>
    internal static async Task<List<(Guid ArticleId, ArticleWarning Warning)>> CheckQuoteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid quoteId, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<(Guid ArticleId, string Body, Guid QuoteId, string Text, int Block, int Start, int End)>(
            new CommandDefinition(AnchorsOfQuote, new { Id = quoteId }, tx, cancellationToken: ct));
        var result = new List<(Guid, ArticleWarning)>();
        foreach (var row in rows)
        {
            var body = ContentJson.Deserialize<List<BodyBlock>>(row.Body) ?? [];
            var anchor = new QuoteAnchor { QuoteId = row.QuoteId, Text = row.Text, BodyBlock = row.Block, BodyStart = row.Start, BodyEnd = row.End };
            var (warnings, moved) = VerbatimCheck.Run(body, [anchor]);
            result.AddRange(warnings.Select(w => (row.ArticleId, w)));
            foreach (var m in moved)
                await conn.ExecuteAsync(new CommandDefinition(MoveAnchors, new
                {
                    Id = row.ArticleId, QuoteIds = new[] { m.QuoteId }, Blocks = new[] { m.BodyBlock }, Starts = new[] { m.BodyStart }, Ends = new[] { m.BodyEnd },
                }, tx, cancellationToken: ct));
        }
        return result;
    }

    /// <summary>
    /// Inside a write's transaction, after the links: moves each anchored quote's place to where its text now is, and
    /// returns the warnings for those whose text is gone.
    /// </summary>
    private static async Task<List<ArticleWarning>> CheckAnchorsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, IReadOnlyList<BodyBlock> body, CancellationToken ct)
    {
        var anchors = await conn.QueryAsync<QuoteAnchor>(new CommandDefinition(AnchorsById, new { Id = id }, tx, cancellationToken: ct));
        return await MoveAnchorsAsync(conn, tx, id, body, anchors.ToList(), ct);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SlugRule();
}
