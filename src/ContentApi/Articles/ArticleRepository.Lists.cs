using System.Globalization;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Search;
using ContentApi.Sources;
using Dapper;
using Npgsql;

namespace ContentApi.Articles;

// Lists and ranked search of articles.
public sealed partial class ArticleRepository
{
    private static string PublishedKey(Audience audience) => audience == Audience.Reader ? "a.published_at" : "a.published_sort";

    /// <summary>The newest-first order of the article list that a ranked window is looked for in (readers: visible articles).</summary>
    public static RankedWindow.Order RankedOrder(Audience audience, int firstSpan) =>
        new("articles a", PublishedKey(audience), "timestamptz", "a.id", audience == Audience.Reader ? Visible : null, Weekly)
        {
            FirstSpan = firstSpan,
            PageRank = FullText.RankOnPage("a"),
        };

    public async Task<(IReadOnlyList<ArticleResponse> Items, Keyset? Next)> ListAsync(
        ArticleFilter f, Keyset? after, int limit, Audience audience, ArticleIncludes include, ArticleParts parts, CancellationToken ct)
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
        // the partial index articles_visible start at now() instead of stepping over every scheduled article. Cursors stay the same values.
        var published = PublishedKey(audience);
        // A ranked first page reads the window's rows by address (a TID scan whatever the values), so it runs prepared
        // and planned once, its tsqueries as subselects (FullText); later pages ask the GIN index and a key range, whose
        // best plan depends on the term and the window, and keep custom plans.
        var prepared = ranked && after is null;
        var rank = prepared ? FullText.RankGeneric("a") : Rank;
        var (key, order, compare) = f.Sort switch
        {
            "rank" => (rank, $"{rank} desc, a.id desc", $"({rank}, a.id) < (@AfterRank, @AfterId)"),
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

        await using var conn = await reads.For(audience).OpenConnectionAsync(ct);
        // The ranked window is fixed by the first page and carried in the cursor, so later pages rank the same articles
        // (plus any published meanwhile) and a page walk neither skips nor repeats one.
        var newest = RankedOrder(audience, firstSpan);
        await using var snapshot = ranked && after is null ? await RankedWindow.SnapshotAsync(conn, ct) : null;
        var window = !ranked ? null : snapshot is not null ? await RankedWindow.FindAsync(snapshot, newest, where, args, ct) : RankedWindow.FromCursor(after!);
        if (f.Q is not null) where.AddRange(prepared ? [FullText.OwnLanguageGeneric("a")] : FullText.Conditions("a", window?.Rows is not null));
        if (window is not null) RankedWindow.Apply(newest, window, limit + 1, where, args);
        if (after is not null) where.Add(compare);
        var filter = where.Count > 0 ? "where " + string.Join(" and ", where) : "";
        // Ranked: the candidates are ordered by id and rank alone, and only the page's rows get their columns (body
        // text, link arrays); ranking with the columns computed them for every candidate.
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
        // A prepared page is a ranked first page, read in the window's snapshot: the snapshot ends with the page, its
        // commit sent in the page's batch rather than as a round trip of its own (the transaction then reads as completed).
        var items = prepared
            ? await ReadPreparedAsync(conn, RankedWindow.EndingSnapshot(PreparedQuery.Generic(BatchSql(page, audience, include))), args, include, rows, ct)
            : await ReadAsync(conn, BatchSql(page, audience, include), args, include, ct, rows);
        if (items.Count <= limit)
            return (items, null);
        var last = rows[limit - 1];
        var keyValue = ranked ? last.Rank.ToString("R", CultureInfo.InvariantCulture) : Text(last.SortKey);
        return (items[..limit], new Keyset(ListName(f.Sort), keyValue, last.Id, window?.Key, window?.Id));
    }

    /// <summary><see cref="ReadAsync"/> for a batch run prepared (<see cref="PreparedQuery"/>).</summary>
    private static async Task<List<ArticleResponse>> ReadPreparedAsync(NpgsqlConnection conn, string sql, DynamicParameters args,
        ArticleIncludes include, List<ArticleRow> rowsOut, CancellationToken ct)
    {
        await using var cmd = await PreparedQuery.CreateAsync(conn, sql, args, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await AssembleAsync(include,
            () => Database.ReadSetAsync<ArticleRow>(reader, ct), () => Database.ReadSetAsync<QuoteRow>(reader, ct),
            () => Database.ReadSetAsync<PersonRow>(reader, ct), () => Database.ReadSetAsync<SourceRow>(reader, ct), rowsOut);
    }

    private static string Text(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime Time(string t) =>
        DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static string ListName(string sort) => "articles:" + sort;
}
