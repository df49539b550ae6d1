using System.Globalization;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Search;
using ContentApi.Sources;
using ContentApi.Writes;
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

public sealed partial class ArticleRepository(NpgsqlDataSource dataSource, IOptions<SearchOptions>? search = null)
{
    private readonly int firstSpan = search?.Value.WindowFirstSpan ?? RankedWindow.FirstSpan;

    public const string DefaultSort = "-publishedAt";
    public static readonly IReadOnlyCollection<string> Sorts = ["-publishedAt", "publishedAt", "-updatedAt"];

    /// <summary>Every column of an article, link arrays included.</summary>
    internal static readonly string Columns = ColumnsOf(ArticleParts.All);

    private static readonly string[] ColumnsByParts = [.. Enumerable.Range(0, (int)ArticleParts.All + 1).Select(p => ColumnsOf((ArticleParts)p))];

    /// <summary>
    /// An article's columns; a part left out reads as empty. The body is detoasted and parsed, and each link array is
    /// an index scan per row: on a ranked search page at 1M articles the five link arrays took about 1.7 of its 3.1 ms
    /// (auto_explain, bench/README.md item 11).
    /// </summary>
    private static string ColumnsOf(ArticleParts parts)
    {
        string Part(ArticleParts part, string read, string empty) => parts.HasFlag(part) ? read : empty;
        string Links(ArticleParts part, string table, string column, string type, string name) =>
            Part(part, $"array(select x.{column} from {table} x where x.article_id = a.id order by x.position)", $"'{{}}'::{type}[]") + " as " + name;
        return $"""
            a.id, a.slug, a.title, a.summary, a.language, a.status, a.published_at, a.section, a.tags, a.byline,
            a.hero_image::text as hero_image, {Part(ArticleParts.Body, "a.body::text", "'[]'")} as body,
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

    /// <summary>Readers see published articles whose time has come; scheduled ones appear by themselves, no job needed.</summary>
    internal const string Visible = "a.status = 'published' and a.published_at <= now()";

    internal static string VisibleAnd(Audience audience) => audience == Audience.Reader ? " and " + Visible : "";

    private static readonly string Rank = FullText.Rank("a");
    // The expression of the weekly search index (migration 0003); its weeks are those of published_at and published_sort.
    private const string Weekly = "search_weekly(a.search, a.published_at)";

    private const string Insert = """
        insert into articles (id, slug, title, summary, language, status, published_at, section, tags, byline, hero_image, body, version)
        values (@Id, @Slug, @Title, @Summary, @Language, @Status, @PublishedAt, @Section, @Tags, @Byline, @HeroImage::jsonb, @Body::jsonb, @Version)
        """;

    // Returns whether what readers may see changed (status or time), from the row as it was before the update.
    private const string Update = """
        update articles a set slug = @Slug, title = @Title, summary = @Summary, language = @Language, status = @Status,
               published_at = @PublishedAt, section = @Section, tags = @Tags, byline = @Byline,
               hero_image = @HeroImage::jsonb, body = @Body::jsonb, version = a.version + 1, updated_at = now()
        from (select status, published_at from articles where id = @Id) old
        where a.id = @Id and a.version = @Expected
        returning (old.status is distinct from a.status or old.published_at is distinct from a.published_at)
        """;

    private const string ReplacePeople = """
        delete from article_people where article_id = @Id;
        insert into article_people (article_id, person_id, role, position)
        select @Id, x.person_id, x.role, x.ord - 1 from unnest(@PersonIds, @PersonRoles) with ordinality as x(person_id, role, ord);
        delete from article_sources where article_id = @Id;
        insert into article_sources (article_id, source_id, relation, position)
        select @Id, x.source_id, x.relation, x.ord - 1 from unnest(@SourceIds, @SourceRelations) with ordinality as x(source_id, relation, ord);
        delete from article_quotes where article_id = @Id;
        insert into article_quotes (article_id, quote_id, position)
        select @Id, x.quote_id, x.ord - 1 from unnest(@QuoteIds) with ordinality as x(quote_id, ord)
        """;

    private const string LinkedQuotes = "select quote_id from article_quotes where article_id = @Id";

    // Before an article stops being visible, its quotes' feed rows learn that readers may hold them, so the
    // change that hides them reaches readers as a tombstone (see sync_changes.ever_public).
    private const string MarkQuotesSeen = """
        update sync_changes set ever_public = true
        where entity = 'quote' and not ever_public
          and id in (select aq.quote_id from article_quotes aq join articles a on a.id = aq.article_id
                     where a.id = @Id and a.status = 'published' and a.published_at <= now())
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
    public static string GetBySlugSql(Audience audience, IReadOnlySet<string> include) => GetSql(false, audience, include);

    private static string GetSql(bool byId, Audience audience, IReadOnlySet<string> include) =>
        BatchSql($"select {Columns} from articles a where {(byId ? "a.id = @Id" : "a.slug = @Slug")}{VisibleAnd(audience)}", audience, include);

    // GetAsync's batch per (id or slug, audience, includes), built once: its text never changes, and building it
    // took a dozen kilobytes of string concatenation per request.
    private readonly string?[] getSql = new string?[128];

    public async Task<ArticleResponse?> GetAsync(IdOrSlug key, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var slot = (include.Contains("quotes") ? 1 : 0) | (include.Contains("quotes.speaker") ? 2 : 0) | (include.Contains("quotes.source") ? 4 : 0)
                   | (include.Contains("people") ? 8 : 0) | (include.Contains("sources") ? 16 : 0)
                   | (key.Id is null ? 0 : 32) | (audience == Audience.Reader ? 64 : 0);
        var sql = getSql[slot] ??= GetSql(key.Id is not null, audience, include);
        // A slug outside the column's rules cannot exist; asking would only let a NUL or an overlong value fail at bind.
        if (key.Id is null && !SlugRule().IsMatch(key.Slug ?? ""))
            return null;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // The hottest read runs prepared, explicitly (auto-prepare is off, see Database.ConfigureDataSource): PostgreSQL
        // then neither parses nor plans its statements again; measured, that is four fifths of its CPU for this batch.
        // The Parse goes out alone, once per physical connection; later PrepareAsync calls cost nothing.
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (key.Id is { } id) cmd.Parameters.Add(new NpgsqlParameter<Guid>("Id", id));
        else cmd.Parameters.Add(new NpgsqlParameter<string>("Slug", key.Slug!));
        await cmd.PrepareAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var articles = await AssembleAsync(include,
            () => Database.ReadSetAsync<ArticleRow>(reader, ct), () => Database.ReadSetAsync<QuoteRow>(reader, ct),
            () => Database.ReadSetAsync<PersonRow>(reader, ct), () => Database.ReadSetAsync<SourceRow>(reader, ct));
        return articles.SingleOrDefault();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SlugRule();

    private static string PublishedKey(Audience audience) => audience == Audience.Reader ? "a.published_at" : "a.published_sort";

    /// <summary>The newest-first order of the article list that a ranked window is looked for in (readers: visible articles).</summary>
    public static RankedWindow.Order RankedOrder(Audience audience, int firstSpan) =>
        new("articles a", PublishedKey(audience), "timestamptz", "a.id", audience == Audience.Reader ? Visible : null, Weekly)
        {
            FirstSpan = firstSpan,
            PageRank = FullText.RankOnPage("a"),
        };

    public async Task<(IReadOnlyList<ArticleResponse> Items, Keyset? Next)> ListAsync(
        ArticleFilter f, Keyset? after, int limit, Audience audience, IReadOnlySet<string> include, ArticleParts parts, CancellationToken ct)
    {
        var ranked = f.Q is not null && f.Sort == "rank";
        var columns = ColumnsByParts[(int)parts];
        var where = new List<string>();
        if (audience == Audience.Reader) where.Add(Visible);
        if (f.Status is not null) where.Add("a.status = @Status");
        if (f.Language is not null) where.Add("a.language = @Language");
        if (f.PersonId is not null) where.Add("a.id in (select x.article_id from article_people x where x.person_id = @PersonId)");
        if (f.SourceId is not null) where.Add("a.id in (select x.article_id from article_sources x where x.source_id = @SourceId)");
        if (f.Tag is not null) where.Add("a.tags @> array[@Tag]::text[]");
        if (f.PublishedAfter is not null) where.Add("a.published_at >= @PublishedAfter");
        if (f.PublishedBefore is not null) where.Add("a.published_at < @PublishedBefore");
        if (f.UpdatedSince is not null) where.Add("a.updated_at >= @UpdatedSince");
        // Readers only see dated articles, where published_sort equals published_at: ordering them by published_at lets
        // the partial index articles_visible start at now() instead of stepping over every scheduled article (measured
        // at 100k: 2,017 rows filtered away and 31 ms for a first page, against 2.9 ms). Cursors stay the same values.
        var published = PublishedKey(audience);
        var (key, order, compare) = f.Sort switch
        {
            "rank" => (Rank, $"{Rank} desc, a.id desc", $"({Rank}, a.id) < (@AfterRank, @AfterId)"),
            "publishedAt" => ("a.published_sort", $"{published}, a.id", $"({published}, a.id) > (@AfterTime, @AfterId)"),
            "-updatedAt" => ("a.updated_at", "a.updated_at desc, a.id desc", "(a.updated_at, a.id) < (@AfterTime, @AfterId)"),
            _ => ("a.published_sort", $"{published} desc, a.id desc", $"({published}, a.id) < (@AfterTime, @AfterId)"),
        };
        // Added by name, not as an anonymous template: the ranked window's prepared statement reads them back
        // (RankedWindow.PreparedAsync), and a template's values cannot be. Only set values: a null is never referenced.
        var args = new DynamicParameters();
        foreach (var (name, value) in (ReadOnlySpan<(string, object?)>)[
            ("Status", f.Status is { } s ? Wire<ArticleStatus>.Name(s) : null), ("Language", f.Language), ("PersonId", f.PersonId),
            ("SourceId", f.SourceId), ("Tag", f.Tag), ("Q", f.Q), ("PublishedAfter", f.PublishedAfter),
            ("PublishedBefore", f.PublishedBefore), ("UpdatedSince", f.UpdatedSince),
            ("AfterTime", ranked || after?.K is null ? DateTime.MinValue : Time(after.K)),
            ("AfterRank", ranked && after?.K is { } r ? float.Parse(r, CultureInfo.InvariantCulture) : 0f),
            ("AfterId", after?.I), ("Take", limit + 1)])
            if (value is not null) args.Add(name, value);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // The ranked window is fixed by the first page and carried in the cursor, so later pages rank the same articles
        // (plus any published meanwhile) and a page walk neither skips nor repeats one.
        var newest = RankedOrder(audience, firstSpan);
        await using var snapshot = ranked && after is null ? await RankedWindow.SnapshotAsync(conn, ct) : null;
        var window = !ranked ? null : snapshot is not null ? await RankedWindow.FindAsync(snapshot, newest, where, args, ct) : RankedWindow.FromCursor(after!);
        if (f.Q is not null) where.AddRange(FullText.Conditions("a", window?.Rows is not null));
        if (window is not null) RankedWindow.Apply(newest, window, limit + 1, where, args);
        if (after is not null) where.Add(compare);
        var filter = where.Count > 0 ? "where " + string.Join(" and ", where) : "";
        // Ranked: the candidates are ordered by id and rank alone, and only the page's rows get their columns (body
        // text, link arrays); ranking with the columns computed them for all 300 candidates (8 ms of 10 at 100k).
        var page = ranked
            ? $"""
              select {columns}, a.published_sort as sort_key, r.rank
              from articles a join (select a.id, {key} as rank from articles a {filter} order by {order} limit @Take) r on r.id = a.id
              order by r.rank desc, a.id desc
              """
            : $"""
              select {columns}, {key} as sort_key
              from articles a {filter}
              order by {order} limit @Take
              """;
        var rows = new List<ArticleRow>();
        var items = await ReadAsync(conn, BatchSql(page, audience, include), args, include, ct, rows);
        if (snapshot is not null) await snapshot.CommitAsync(ct);
        if (items.Count <= limit)
            return (items, null);
        var last = rows[limit - 1];
        var keyValue = ranked ? last.Rank.ToString("R", CultureInfo.InvariantCulture) : Text(last.SortKey);
        return (items[..limit], new Keyset(ListName(f.Sort), keyValue, last.Id, window?.Key, window?.Id));
    }

    private static string Text(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime Time(string t) =>
        DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static string ListName(string sort) => "articles:" + sort;

    /// <summary>The type name revisions and the sync feed know it by.</summary>
    public const string Entity = "article";

    public Task<ArticleResponse> CreateAsync(ArticleRequest r, Actor actor, CancellationToken ct) => InsertAsync(Guid.CreateVersion7(), 1, r, actor, ct);

    /// <summary>Inserts with a given id and version: a create, or an undelete continuing the item's history.</summary>
    public async Task<ArticleResponse> InsertAsync(Guid id, int version, ArticleRequest r, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Insert, Args(id, r, 0, version), tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(ReplacePeople, LinkArgs(id, r), tx, cancellationToken: ct));
        var quotes = r.EffectiveQuoteIds().Distinct().ToArray();
        await conn.ExecuteAsync(new CommandDefinition(TouchQuotes, new { Ids = quotes }, tx, cancellationToken: ct));
        var created = await ReadOneAsync(conn, id, tx, ct);
        await ChangeRecorder.RecordAsync(conn, tx, Entity, id, created.Version, actor.OpOr(RevisionOps.Create), created, actor, ct);
        await QuoteRepository.RecordTouchedAsync(conn, tx, quotes, actor, ct);
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>Revisions of articles whose links a change of another item touched (their quoteIds changed).</summary>
    internal static async Task RecordTouchedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid[] ids, Actor actor, CancellationToken ct)
    {
        if (ids.Length == 0) return;
        var rows = await conn.QueryAsync<ArticleRow>(new CommandDefinition($"select {Columns} from articles a where a.id = any(@Ids)", new { Ids = ids }, tx, cancellationToken: ct));
        var states = rows.Select(r => r.ToResponse()).Select(a => (a.Id, a.Version, ChangeRecorder.Serialize(a))).ToList();
        await ChangeRecorder.RecordManyAsync(conn, tx, Entity, states, RevisionOps.Update, actor, ct);
    }

    /// <summary>Replaces the article and its links if still at <paramref name="expected"/>; null when gone or changed.</summary>
    public async Task<ArticleResponse?> UpdateAsync(Guid id, ArticleRequest r, int expected, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(MarkQuotesSeen, new { Id = id }, tx, cancellationToken: ct));
        var visibilityChanged = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(Update, Args(id, r, expected), tx, cancellationToken: ct));
        if (visibilityChanged is null)
            return null;
        var before = (await conn.QueryAsync<Guid>(new CommandDefinition(LinkedQuotes, new { Id = id }, tx, cancellationToken: ct))).ToHashSet();
        await conn.ExecuteAsync(new CommandDefinition(ReplacePeople, LinkArgs(id, r), tx, cancellationToken: ct));
        // Quotes whose articleIds changed get a new version too, so their ETags and the sync feed see it; when the
        // article's visibility changed, all its quotes did (readers see a quote only through a published article).
        if (visibilityChanged.Value) before.UnionWith(r.EffectiveQuoteIds());
        else before.SymmetricExceptWith(r.EffectiveQuoteIds());
        var touched = before.ToArray();
        await conn.ExecuteAsync(new CommandDefinition(TouchQuotes, new { Ids = touched }, tx, cancellationToken: ct));
        var updated = await ReadOneAsync(conn, id, tx, ct);
        await ChangeRecorder.RecordAsync(conn, tx, Entity, id, updated.Version, actor.OpOr(RevisionOps.Update), updated, actor, ct);
        await QuoteRepository.RecordTouchedAsync(conn, tx, touched, actor, ct);
        await tx.CommitAsync(ct);
        return updated;
    }

    /// <summary>Publishes (optionally at a given time) or unpublishes; <paramref name="expected"/> 0 skips the version check.</summary>
    public async Task<ArticleResponse?> SetPublishedAsync(Guid id, bool publish, DateTime? publishedAt, int expected, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var sql = publish ? Publish : Unpublish;
        await conn.ExecuteAsync(new CommandDefinition(MarkQuotesSeen, new { Id = id }, tx, cancellationToken: ct));
        if (await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(sql, new { Id = id, PublishedAt = publishedAt, Expected = expected }, tx, cancellationToken: ct)) is null)
            return null;
        var quotes = (await conn.QueryAsync<Guid>(new CommandDefinition(LinkedQuotes, new { Id = id }, tx, cancellationToken: ct))).ToArray();
        await conn.ExecuteAsync(new CommandDefinition(TouchQuotes, new { Ids = quotes }, tx, cancellationToken: ct));
        var article = await ReadOneAsync(conn, id, tx, ct);
        await ChangeRecorder.RecordAsync(conn, tx, Entity, id, article.Version, publish ? RevisionOps.Publish : RevisionOps.Unpublish, article, actor, ct);
        await QuoteRepository.RecordTouchedAsync(conn, tx, quotes, actor, ct);
        await tx.CommitAsync(ct);
        return article;
    }

    public Task<int?> VersionAsync(Guid id, CancellationToken ct) => GuardedDelete.VersionAsync(dataSource, VersionOf, id, ct);

    public async Task<DeleteResult> DeleteAsync(Guid id, int expected, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(VersionOf + " for update", new { Id = id }, tx, cancellationToken: ct));
        if (current is null) return DeleteResult.NotFound;
        if (current != expected) return new DeleteResult(false, current, []);
        var quotes = (await conn.QueryAsync<Guid>(new CommandDefinition(LinkedQuotes, new { Id = id }, tx, cancellationToken: ct))).ToArray();
        await conn.ExecuteAsync(new CommandDefinition(MarkQuotesSeen, new { Id = id }, tx, cancellationToken: ct));
        // The revision of a delete keeps the last state, as the version after the last.
        var last = await ReadOneAsync(conn, id, tx, ct);
        await ChangeRecorder.RecordAsync(conn, tx, Entity, id, last.Version + 1, RevisionOps.Delete, last, actor, ct);
        await conn.ExecuteAsync(new CommandDefinition(Delete, new { Id = id, Expected = expected }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(TouchQuotes, new { Ids = quotes }, tx, cancellationToken: ct));
        await QuoteRepository.RecordTouchedAsync(conn, tx, quotes, actor, ct);
        await tx.CommitAsync(ct);
        return new DeleteResult(true, current, []);
    }

    private async Task<ArticleResponse> ReadOneAsync(NpgsqlConnection conn, Guid id, NpgsqlTransaction tx, CancellationToken ct)
    {
        var row = await conn.QuerySingleAsync<ArticleRow>(new CommandDefinition($"select {Columns} from articles a where a.id = @Id", new { Id = id }, tx, cancellationToken: ct));
        return row.ToResponse();
    }

    private static object Args(Guid id, ArticleRequest r, int expected, int version = 1) => new
    {
        Id = id,
        Version = version,
        r.Slug,
        r.Title,
        r.Summary,
        r.Language,
        Status = Wire<ArticleStatus>.Name(r.Status),
        r.PublishedAt,
        r.Section,
        Tags = r.Tags.ToArray(),
        r.Byline,
        HeroImage = r.HeroImage is null ? null : ContentJson.Serialize(r.HeroImage),
        Body = ContentJson.Serialize(r.Body),
        Expected = expected,
    };

    private static object LinkArgs(Guid id, ArticleRequest r) => new
    {
        Id = id,
        PersonIds = r.People.Select(p => p.PersonId).ToArray(),
        PersonRoles = r.People.Select(p => Wire<PersonRole>.Name(p.Role)).ToArray(),
        SourceIds = r.Sources.Select(s => s.SourceId).ToArray(),
        SourceRelations = r.Sources.Select(s => Wire<SourceRelation>.Name(s.Relation)).ToArray(),
        QuoteIds = r.EffectiveQuoteIds().ToArray(),
    };

    /// <summary>
    /// Runs a <see cref="BatchSql"/> batch (the target and one statement per include over the same rows): a single
    /// round trip whatever the page size.
    /// </summary>
    private static async Task<List<ArticleResponse>> ReadAsync(NpgsqlConnection conn, string sql, object args,
        IReadOnlySet<string> include, CancellationToken ct, List<ArticleRow>? rowsOut = null)
    {
        using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        return await AssembleAsync(include, () => grid.ReadAsync<ArticleRow>(), () => grid.ReadAsync<QuoteRow>(),
            () => grid.ReadAsync<PersonRow>(), () => grid.ReadAsync<SourceRow>(), rowsOut);
    }

    /// <summary>Reads a batch's result sets in order (articles, then each include asked for) and embeds the includes.</summary>
    private static async Task<List<ArticleResponse>> AssembleAsync(IReadOnlySet<string> include,
        Func<Task<IEnumerable<ArticleRow>>> readArticles, Func<Task<IEnumerable<QuoteRow>>> readQuotes,
        Func<Task<IEnumerable<PersonRow>>> readPeople, Func<Task<IEnumerable<SourceRow>>> readSources, List<ArticleRow>? rowsOut = null)
    {
        var quotes = include.Contains("quotes");
        var speakers = include.Contains("quotes.speaker");
        var quoteSources = include.Contains("quotes.source");
        var people = include.Contains("people") || speakers;
        var sources = include.Contains("sources") || quoteSources;

        var rows = (await readArticles()).ToList();
        rowsOut?.AddRange(rows);
        var quoteById = quotes ? (await readQuotes()).ToDictionary(q => q.Id, q => q.ToResponse()) : [];
        var personById = people ? (await readPeople()).ToDictionary(p => p.Id, p => p.ToResponse()) : [];
        var sourceById = sources ? (await readSources()).ToDictionary(s => s.Id, s => s.ToResponse()) : [];

        return rows.Select(row =>
        {
            var a = row.ToResponse();
            if (!quotes && !include.Contains("people") && !include.Contains("sources")) return a;
            return a with
            {
                Quotes = quotes
                    ? a.QuoteIds.Where(quoteById.ContainsKey).Select(id => quoteById[id] with
                    {
                        Speaker = speakers ? personById.GetValueOrDefault(quoteById[id].SpeakerId) : null,
                        Source = quoteSources && quoteById[id].SourceId is { } sid ? sourceById.GetValueOrDefault(sid) : null,
                    }).ToList()
                    : null,
                People = include.Contains("people") ? a.People.Select(p => p with { Person = personById.GetValueOrDefault(p.PersonId) }).ToList() : a.People,
                Sources = include.Contains("sources") ? a.Sources.Select(s => s with { Source = sourceById.GetValueOrDefault(s.SourceId) }).ToList() : a.Sources,
            };
        }).ToList();
    }

    /// <summary>
    /// <paramref name="target"/> and one statement per include over the same rows, <c>;</c>-separated. The includes
    /// select the target's ids only (t): with all its columns t was materialized, body and link arrays included.
    /// </summary>
    private static string BatchSql(string target, Audience audience, IReadOnlySet<string> include)
    {
        var ids = "select a.id " + target[target.IndexOf("from articles a", StringComparison.Ordinal)..];
        var quotes = include.Contains("quotes");
        var speakers = include.Contains("quotes.speaker");
        var quoteSources = include.Contains("quotes.source");
        var people = include.Contains("people") || speakers;
        var sources = include.Contains("sources") || quoteSources;
        const string QuotesOfT = "select aq.quote_id from article_quotes aq where aq.article_id in (select id from t)";

        var sql = target;
        if (quotes)
            sql += $";\nwith t as ({ids}) select {QuoteRepository.ColumnsFor(audience)} from quotes q where q.id in ({QuotesOfT})";
        // One id list (union), not "in (...) or in (...)": the OR made PostgreSQL scan all of people and sources.
        string Union(params string?[] parts) => string.Join(" union ", parts.Where(x => x is not null));
        if (people)
            sql += $";\nwith t as ({ids}) select {PersonRepository.Columns} from people p where p.id in (" + Union(
                       include.Contains("people") ? "select x.person_id from article_people x where x.article_id in (select id from t)" : null,
                       speakers ? $"select q.speaker_id from quotes q where q.id in ({QuotesOfT})" : null) + ")";
        if (sources)
            sql += $";\nwith t as ({ids}) select {SourceRepository.Columns} from sources s where s.id in (" + Union(
                       include.Contains("sources") ? "select x.source_id from article_sources x where x.article_id in (select id from t)" : null,
                       quoteSources ? $"select q.source_id from quotes q where q.id in ({QuotesOfT})" : null) + ")";

        return sql;
    }
}
