using System.Globalization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Search;
using ContentApi.Sources;
using ContentApi.Writes;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Quotes;

/// <summary>Filters of a quote list, already validated.</summary>
public sealed record QuoteFilter(Guid? SpeakerId, Guid? SourceId, Guid? ArticleId, string? Language, string? Q, DateOnly? SaidAfter, DateOnly? SaidBefore);

public sealed class QuoteRepository(NpgsqlDataSource dataSource, IOptions<SearchOptions>? search = null, ReadDataSource? readSource = null)
{
    private readonly ReadDataSource reads = readSource ?? new(dataSource);
    private const string BaseColumns =
        "q.id, q.text, q.language, q.type, q.speaker_id, q.speaker_role, q.said_on, q.occasion, q.source_id, q.source_url, q.translation_of_id, q.version, q.created_at, q.updated_at";

    private const string EditorColumns = BaseColumns +
        ", array(select aq.article_id from article_quotes aq where aq.quote_id = q.id order by aq.article_id) as article_ids";

    // Readers must not learn the ids of drafts through a quote's articleIds.
    private const string ReaderColumns = BaseColumns +
        ", array(select aq.article_id from article_quotes aq join articles a on a.id = aq.article_id where aq.quote_id = q.id and " +
        "article_visible(a.status, a.published_at) order by aq.article_id) as article_ids";

    /// <summary>
    /// A quote reaches readers only through a visible article (article_visible, migration 0011): quotes of drafts are
    /// unpublished news. Written out here, not as a SQL function: PostgreSQL does not inline a function with a subquery.
    /// </summary>
    private const string Visible =
        "exists (select 1 from article_quotes vq join articles va on va.id = vq.article_id where vq.quote_id = q.id and article_visible(va.status, va.published_at))";

    /// <summary>
    /// Webhook data (ChangeRecorder): the recorded state as readers get it (Visible, ReaderColumns) inside the write's
    /// transaction: null unless a visible article uses the quote, and articleIds only the visible ones.
    /// </summary>
    private const string ReaderView = """
        case when exists (select 1 from article_quotes vq join articles va on va.id = vq.article_id
                          where vq.quote_id = e.id and article_visible(va.status, va.published_at))
             then jsonb_set(e.state, '{articleIds}', (select jsonb_agg(aq.article_id order by aq.article_id)
                  from article_quotes aq join articles a on a.id = aq.article_id
                  where aq.quote_id = e.id and article_visible(a.status, a.published_at))) end
        """;

    private static string ColumnsFor(Audience audience) => audience == Audience.Reader ? ReaderColumns : EditorColumns;

    private static string VisibleAnd(Audience audience) => audience == Audience.Reader ? " and " + Visible : "";

    /// <summary>
    /// The quotes whose ids <paramref name="idsSql"/> selects, as the audience may see them, for another resource's
    /// include; <paramref name="visible"/> says the ids are already visible ones (a visible article's quotes), so readers skip the check.
    /// </summary>
    public static string EmbedSql(Audience audience, string idsSql, bool visible = false) =>
        $"select {ColumnsFor(audience)} from quotes q where q.id in ({idsSql}){(visible ? "" : VisibleAnd(audience))}";

    /// <summary>
    /// The newest 20 quotes of each row of the caller's CTE <c>t</c>, as the audience may see them;
    /// <paramref name="ofRow"/> names the quote column that holds <c>t.id</c> (speaker_id, source_id).
    /// </summary>
    public static string NewestEmbedSql(Audience audience, QuoteOwner ofRow) => $"""
        select {ColumnsFor(audience)}
        from t cross join lateral (
          select q.id from quotes q where q.{(ofRow == QuoteOwner.Speaker ? "speaker_id" : "source_id")} = t.id{VisibleAnd(audience)}
          order by q.id desc limit 20) n
        join quotes q on q.id = n.id
        """;

    private static readonly string Rank = FullText.Rank("q");

    // Newest first is id order (UUID v7); ranked search ranks the newest RankedWindow.Size matches.
    private readonly RankedWindow.Order newest = new("quotes q", "q.id", "uuid", "q.id")
    {
        FirstSpan = search?.Value.WindowFirstSpan ?? RankedWindow.FirstSpan,
    };

    // One statement: the quote, its links at the end of each article's quote list, and those articles' new versions.
    // The links are not visible to the statement's own select, so articleIds come from the parameter (sorted, distinct).
    private const string Insert = $"""
        with q as (
          insert into quotes as q (id, text, language, type, speaker_id, speaker_role, said_on, occasion, source_id, source_url, translation_of_id, version)
          values (@Id, @Text, @Language, @Type, @SpeakerId, @SpeakerRole, @SaidOn, @Occasion, @SourceId, @SourceUrl, @TranslationOfId, @Version)
          returning {BaseColumns}),
        linked as (
          insert into article_quotes (article_id, quote_id, position)
          select x.article_id, q.id, coalesce((select max(position) + 1 from article_quotes where article_id = x.article_id), 0)
          from q cross join unnest(@Added) as x(article_id)),
        touched as (update articles set version = version + 1, updated_at = now() where id = any(@Added))
        select {BaseColumns}, array(select distinct x from unnest(@Added) x order by x) as article_ids from q
        """;

    private const string Update = """
        update quotes set text = @Text, language = @Language, type = @Type, speaker_id = @SpeakerId, speaker_role = @SpeakerRole,
               said_on = @SaidOn, occasion = @Occasion, source_id = @SourceId, source_url = @SourceUrl,
               translation_of_id = @TranslationOfId, version = version + 1, updated_at = now()
        where id = @Id and version = @Expected
        returning id
        """;

    private const string LinkedArticles = "select article_id from article_quotes where quote_id = @Id";

    // New links go to the end of each article's quote list.
    private const string Link = """
        insert into article_quotes (article_id, quote_id, position)
        select x.article_id, @Id, coalesce((select max(position) + 1 from article_quotes where article_id = x.article_id), 0)
        from unnest(@Added) as x(article_id)
        """;

    private const string Unlink = "delete from article_quotes where quote_id = @Id and article_id = any(@Removed)";

    // Articles whose body shows the quote: unlinking them would leave a quote block pointing at nothing.
    private const string ShownBy = "select id from articles where id = any(@Removed) and body @> @Block::jsonb";

    internal const string TouchArticles = "update articles set version = version + 1, updated_at = now() where id = any(@Ids)";

    private const string VersionOf = "select version from quotes where id = @Id";

    private const string Usages = """
        (select 'article' as type, x.article_id as id from article_quotes x where x.quote_id = @Id limit 20)
        union all
        (select 'quote', t.id from quotes t where t.translation_of_id = @Id limit 20)
        """;

    private const string Delete = "delete from quotes where id = @Id and version = @Expected";

    public async Task<QuoteResponse?> GetAsync(Guid id, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var target = $"select {ColumnsFor(audience)} from quotes q where q.id = @Id{VisibleAnd(audience)}";
        await using var conn = await reads.For(audience).OpenConnectionAsync(ct);
        using var grid = await conn.QueryMultipleAsync(new CommandDefinition(WithIncludes(target, audience, include), new { Id = id }, cancellationToken: ct));
        var quotes = (await grid.ReadAsync<QuoteRow>()).Select(r => r.ToResponse()).ToList();
        return (await AttachAsync(grid, quotes, include)).SingleOrDefault();
    }

    public async Task<(IReadOnlyList<QuoteResponse> Items, Keyset? Next)> ListAsync(
        QuoteFilter f, Keyset? after, int limit, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var ranked = f.Q is not null;
        var where = new List<string>();
        if (audience == Audience.Reader) where.Add(Visible);
        if (f.SpeakerId is not null) where.Add("q.speaker_id = @SpeakerId");
        if (f.SourceId is not null) where.Add("q.source_id = @SourceId");
        if (f.ArticleId is not null) where.Add("q.id in (select aq.quote_id from article_quotes aq where aq.article_id = @ArticleId)");
        if (f.Language is not null) where.Add("q.language = @Language");
        if (f.SaidAfter is not null) where.Add("q.said_on >= @SaidAfter");
        if (f.SaidBefore is not null) where.Add("q.said_on <= @SaidBefore");
        var args = new DynamicParameters(new
        {
            f.SpeakerId,
            f.SourceId,
            f.ArticleId,
            f.Language,
            f.Q,
            f.SaidAfter,
            f.SaidBefore,
            AfterRank = after?.K is { } k ? float.Parse(k, CultureInfo.InvariantCulture) : 0f,
            AfterId = after?.I,
            Take = limit + 1,
        });

        await using var conn = await reads.For(audience).OpenConnectionAsync(ct);
        RankedWindow.Edge? window = null;
        await using var snapshot = ranked && after is null ? await RankedWindow.SnapshotAsync(conn, ct) : null;
        if (ranked)
        {
            // Fixed by the first page and carried in the cursor, so later pages rank the same quotes.
            window = snapshot is not null ? await RankedWindow.FindAsync(snapshot, newest, where, args, ct) : RankedWindow.FromCursor(after!);
            where.AddRange(FullText.Conditions("q", window?.Rows is not null));
            if (window is not null) RankedWindow.Apply(newest, window, limit + 1, where, args);
        }
        if (after is not null) where.Add(ranked ? $"({Rank}, q.id) < (@AfterRank, @AfterId)" : "q.id < @AfterId");
        var page = $"""
            select {ColumnsFor(audience)}{(ranked ? $", {Rank} as rank" : "")}
            from quotes q {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")}
            order by {(ranked ? $"{Rank} desc, " : "")}q.id desc limit @Take
            """;
        List<QuoteRow> rows;
        List<QuoteResponse> items;
        // A first ranked page ends the window's snapshot in its own batch (RankedWindow.EndingSnapshot).
        var sql = WithIncludes(page, audience, include);
        using (var grid = await conn.QueryMultipleAsync(new CommandDefinition(snapshot is null ? sql : RankedWindow.EndingSnapshot(sql), args, cancellationToken: ct)))
        {
            rows = (await grid.ReadAsync<QuoteRow>()).ToList();
            items = await AttachAsync(grid, rows.Select(r => r.ToResponse()).ToList(), include);
        }
        if (items.Count <= limit)
            return (items, null);
        var last = rows[limit - 1];
        return (items[..limit], new Keyset(ListName(ranked), ranked ? last.Rank.ToString("R", CultureInfo.InvariantCulture) : null, last.Id, window?.Key, window?.Id));
    }

    public static string ListName(bool ranked) => ranked ? "quotes:rank" : "quotes";

    /// <summary>The type name revisions and the sync feed know it by.</summary>
    public const string Entity = "quote";

    public Task<QuoteResponse> CreateAsync(QuoteRequest r, Actor actor, CancellationToken ct) => InsertAsync(Guid.CreateVersion7(), 1, r, actor, ct);

    /// <summary>Inserts with a given id and version: a create, or an undelete continuing the item's history.</summary>
    public async Task<QuoteResponse> InsertAsync(Guid id, int version, QuoteRequest r, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var added = r.ArticleIds.Distinct().ToArray();
        // Prepared (PreparedCommand): every text in it was validated, so binding cannot fail.
        QuoteResponse created;
        await using (var cmd = await PreparedCommand.CreateAsync(conn, tx, Insert, ct, Args(id, r, 0, version, added)))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            created = (await Database.ReadSetAsync<QuoteRow>(reader, ct)).Single().ToResponse();
        await ChangeRecorder.RecordAsync(conn, tx, Entity, ReaderView, id, created.Version, actor.OpOr(RevisionOps.Create), created, actor, ct);
        await ArticleRepository.RecordTouchedAsync(conn, tx, added, actor, ct);
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>What a create sends inside its transaction (the quote with its links, then its revision); the benchmark's pgbench ceiling runs these texts.</summary>
    public static (string Insert, string Record) CreateStatements => (Insert, ChangeRecorder.Statement(ReaderView));

    /// <summary>Revisions of quotes whose links a change of another item touched (their articleIds changed).</summary>
    internal static async Task RecordTouchedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid[] ids, Actor actor, CancellationToken ct)
    {
        if (ids.Length == 0) return;
        var rows = await conn.QueryAsync<QuoteRow>(new CommandDefinition($"select {EditorColumns} from quotes q where q.id = any(@Ids)", new { Ids = ids }, tx, cancellationToken: ct));
        var states = rows.Select(r => r.ToResponse()).Select(q => (q.Id, q.Version, ChangeRecorder.Serialize(q))).ToList();
        await ChangeRecorder.RecordManyAsync(conn, tx, Entity, ReaderView, states, RevisionOps.Update, actor, ct);
    }

    /// <summary>
    /// Replaces the quote and its article links if still at <paramref name="expected"/>. Quote is null when gone or changed;
    /// ShownBy lists articles whose body shows the quote and that the request would unlink; NotCorrectable says the
    /// request's correction has no article readers can see to go to (nothing is written in either case).
    /// </summary>
    public async Task<(QuoteResponse? Quote, Guid[] ShownBy, bool NotCorrectable)> UpdateAsync(Guid id, QuoteRequest r, int expected, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var updated = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(Update, Args(id, r, expected), tx, cancellationToken: ct));
        if (updated is null) return (null, [], false);

        var before = (await conn.QueryAsync<Guid>(new CommandDefinition(LinkedArticles, new { Id = id }, tx, cancellationToken: ct))).ToHashSet();
        var after = r.ArticleIds.ToHashSet();
        var removed = before.Except(after).ToArray();
        var added = after.Except(before).ToArray();
        var block = ContentJson.Serialize(new BodyBlock[] { new QuoteBlock { QuoteId = id } });
        var shownBy = (await conn.QueryAsync<Guid>(new CommandDefinition(ShownBy, new { Removed = removed, Block = block }, tx, cancellationToken: ct))).ToArray();
        if (shownBy.Length > 0) return (null, shownBy, false);

        // The correction goes to the articles readers saw the quote in, before this change's links.
        Guid[] corrected = [];
        if (r.Correction is not null)
        {
            corrected = await ArticleRepository.CorrectUsersOfQuoteAsync(conn, tx, id, r.Correction, ct);
            if (corrected.Length == 0) return (null, [], true);
        }
        await conn.ExecuteAsync(new CommandDefinition(Unlink, new { Id = id, Removed = removed }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(Link, new { Id = id, Added = added }, tx, cancellationToken: ct));
        var touched = removed.Concat(added).ToArray();
        // A corrected article already has its new version: one change, one version, one revision.
        await conn.ExecuteAsync(new CommandDefinition(TouchArticles, new { Ids = touched.Except(corrected).ToArray() }, tx, cancellationToken: ct));
        var quote = (await conn.QuerySingleAsync<QuoteRow>(new CommandDefinition($"select {EditorColumns} from quotes q where q.id = @Id", new { Id = id }, tx, cancellationToken: ct))).ToResponse();
        await ChangeRecorder.RecordAsync(conn, tx, Entity, ReaderView, id, quote.Version, actor.OpOr(RevisionOps.Update), quote, actor, ct);
        await ArticleRepository.RecordTouchedAsync(conn, tx, touched.Union(corrected).ToArray(), actor, ct);
        var warnings = (await ArticleRepository.CheckQuoteAsync(conn, tx, id, ct))
            .Select(x => new QuoteWarning { Code = x.Warning.Code, Message = x.Warning.Message, ArticleId = x.ArticleId, Paragraph = x.Warning.Paragraph })
            .ToList();
        await tx.CommitAsync(ct);
        return (warnings.Count == 0 ? quote : quote with { Warnings = warnings }, [], false);
    }

    public Task<int?> VersionAsync(Guid id, CancellationToken ct) => GuardedDelete.VersionAsync(dataSource, VersionOf, id, ct);

    public Task<DeleteResult> DeleteAsync(Guid id, int expected, Actor actor, CancellationToken ct) =>
        GuardedDelete.RunAsync(dataSource, VersionOf, Usages, Delete, id, expected, ct, async (conn, tx) =>
        {
            // The revision of a delete keeps the last state, as the version after the last.
            var last = (await conn.QuerySingleAsync<QuoteRow>(new CommandDefinition($"select {EditorColumns} from quotes q where q.id = @Id", new { Id = id }, tx, cancellationToken: ct))).ToResponse();
            await ChangeRecorder.RecordAsync(conn, tx, Entity, ReaderView, id, last.Version + 1, RevisionOps.Delete, last, actor, ct);
        });

    private static object Args(Guid id, QuoteRequest r, int expected, int version = 1, Guid[]? added = null) => new
    {
        Id = id,
        Added = added ?? [],
        Version = version,
        r.Text,
        r.Language,
        Type = Wire<QuoteType>.Name(r.Type),
        r.SpeakerId,
        r.SpeakerRole,
        r.SaidOn,
        r.Occasion,
        r.SourceId,
        r.SourceUrl,
        r.TranslationOfId,
        Expected = expected,
    };

    private static string WithIncludes(string target, Audience audience, IReadOnlySet<string> include)
    {
        var sql = target;
        if (include.Contains("speaker"))
            sql += $";\nwith t as ({target}) {PersonRepository.EmbedSql("select speaker_id from t")}";
        if (include.Contains("source"))
            sql += $";\nwith t as ({target}) {SourceRepository.EmbedSql("select source_id from t")}";
        if (include.Contains("articles"))
            sql += $";\nwith t as ({target}) {ArticleRepository.EmbedSql(audience, "select aq.article_id from article_quotes aq where aq.quote_id in (select id from t)")}";
        return sql;
    }

    private static async Task<List<QuoteResponse>> AttachAsync(SqlMapper.GridReader grid, List<QuoteResponse> quotes, IReadOnlySet<string> include)
    {
        if (include.Contains("speaker"))
        {
            var people = (await grid.ReadAsync<PersonRow>()).ToDictionary(p => p.Id, p => p.ToResponse());
            quotes = quotes.Select(q => q with { Speaker = people.GetValueOrDefault(q.SpeakerId) }).ToList();
        }
        if (include.Contains("source"))
        {
            var sources = (await grid.ReadAsync<SourceRow>()).ToDictionary(s => s.Id, s => s.ToResponse());
            quotes = quotes.Select(q => q with { Source = q.SourceId is { } sid ? sources.GetValueOrDefault(sid) : null }).ToList();
        }
        if (include.Contains("articles"))
        {
            var articles = (await grid.ReadAsync<ArticleRow>()).Select(a => a.ToResponse()).ToList();
            quotes = quotes.Select(q => q with { Articles = ArticleRepository.Newest(articles.Where(a => a.QuoteIds.Contains(q.Id))) }).ToList();
        }
        return quotes;
    }
}
