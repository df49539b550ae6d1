using System.Data;
using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Search;

/// <summary>
/// Ranked full-text search ranks the newest <see cref="Size"/> matches of a list, not all of them: ranking reads each
/// candidate's whole tsvector, so ranking every match grows with the archive, while a window costs the same at any
/// size (bench/README.md, "Figures behind comments in the code"). A date-ordered list (sort=-publishedAt with q) still
/// reaches every match.
/// </summary>
public static partial class RankedWindow
{
    public const int Size = 300;

    // The window is looked for among the newest 8,192 rows of the list first. Lists with a weekly index (articles) then
    // read the matches of those rows' weeks from it, newest week first until the window is full, when they span at most
    // 64 weeks, going on to older weeks by the density seen (64 weeks at least); other lists, and sparse ones, intersect
    // an index range of the key with the GIN match bitmap, widening the span likewise. A term too rare for either (more
    // than 512 weeks, or a span past 262,144 rows) is read whole, as is any term when that costs less.
    public const int FirstSpan = 8_192;
    private const int LastSpan = 262_144, MaxWeeks = 512, MaxFirstWeeks = 64, ProbeWeeks = 64;

    // Relative costs of reading one week of the weekly index, visiting a candidate row, reading one match of the whole
    // GIN index, ranking a window row the weekly read did not rank, and one entry of the key's index (in row visits);
    // measured, see bench/README.md.
    private const double PerWeek = 7, PerCandidate = 2, PerMatch = 2.4, PerRank = 2, PerSpanRow = 0.16;

    /// <summary>
    /// A list's newest-first order: rows of <c>From</c> ("table alias") by <c>Key</c> (of SQL type <c>KeyType</c>) then
    /// <c>Id</c>, both descending; <c>Newest</c> is the condition (or null) of the index the spans walk, e.g. readers'
    /// visibility; <c>Weekly</c> the expression of a weekly index (migration 0003) whose weeks are those of <c>Key</c>.
    /// </summary>
    public sealed record Order(string From, string Key, string KeyType, string Id, string? Newest = null, string? Weekly = null)
    {
        public string Alias => From.Split(' ')[1];
        public string Table => From.Split(' ')[0];
        /// <summary>How many of the newest rows the window is looked for in first (<see cref="SearchOptions"/>).</summary>
        public int FirstSpan { get; init; } = RankedWindow.FirstSpan;

        /// <summary>
        /// A row's rank on a page of matches, null for a member of the window the page drops (e.g. one matching in
        /// another language only). Given, the weekly statement ranks the rows it has in hand.
        /// </summary>
        public string? PageRank { get; init; }
    }

    /// <summary>
    /// The window's oldest member, carried in cursors so later pages rank the same rows; on the first page also the
    /// addresses (ctid) of the window's rows in the snapshot they were found in, so that page reads them directly
    /// instead of intersecting the range again or looking up 300 ids; and, where the window was found ranked
    /// (<see cref="Order.PageRank"/>), each row's rank and id, so that page reads only its own rows.
    /// </summary>
    public sealed record Edge(string? Key, Guid Id, string[]? Rows = null)
    {
        public (float? Rank, Guid Id)[]? Ranks { get; init; }
    }

    private sealed class Row
    {
        public string? K { get; init; }
        public Guid Id { get; init; }
        public string T { get; init; } = "";
        public long N { get; init; }
        public float? R { get; init; }
    }

    private sealed class Span
    {
        public string K { get; init; } = "";
        public long T { get; init; }
        public int? Low { get; init; }
        public int? High { get; init; }
        public string[]? Q { get; init; }
    }

    public static Edge? FromCursor(Keyset after) => after.WI is { } id ? new Edge(after.WK, id) : null;

    /// <summary>
    /// The transaction a first page's window is found and read in: one snapshot, so the row addresses the window hands
    /// to the page (<see cref="Edge.Rows"/>) still hold the versions it found, whatever is written meanwhile.
    /// </summary>
    public static async Task<NpgsqlTransaction> SnapshotAsync(NpgsqlConnection conn, CancellationToken ct) =>
        await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    /// <summary>
    /// The page's <paramref name="sql"/> with the snapshot's commit after it, in the same batch: a round trip fewer than
    /// committing apart. The NpgsqlTransaction then reads as completed (Npgsql follows the server's transaction status),
    /// so disposing it sends nothing; if the batch fails, disposing it rolls back as before.
    /// </summary>
    public static string EndingSnapshot(string sql) => sql + ";\ncommit";

    /// <summary>
    /// The newest <see cref="Size"/> rows that satisfy <paramref name="where"/> and match <c>@Q</c>; all of them when fewer do.
    /// <paramref name="where"/> holds the list's other conditions. Runs in <paramref name="snapshot"/> (<see cref="SnapshotAsync"/>),
    /// in which the page is then read.
    /// </summary>
    public static async Task<Edge> FindAsync(NpgsqlTransaction snapshot, Order o, IReadOnlyList<string> where, DynamicParameters args, CancellationToken ct)
    {
        if (snapshot.IsolationLevel != IsolationLevel.RepeatableRead || snapshot.Connection is not { } conn)
            throw new InvalidOperationException("The ranked window is found in a snapshot of its own (RankedWindow.SnapshotAsync).");
        var span = await SpanAsync(conn, o, o.FirstSpan, args, ct);
        if (span is null) // the list is shorter than the span: look at all of it
            return await MatchesAsync(conn, o, where, null, args, ct);
        var weekly = WeeklyQuery.OfLanguages(span.Q);
        // The weekly index pays off where the newest rows are dense in time: their weeks fit in the first weekly read
        // (ProbeWeeks), which stops in the week that fills the window and ranks what it reads. Over more weeks (a small
        // archive's first span) a week holds few rows and intersecting spans costs less.
        if (span is { Low: { } low, High: { } high } && high - low < MaxFirstWeeks && weekly is not null)
            return await FindByWeeksAsync(conn, o, where, weekly, low, high, span.T, args, ct);
        return await FindBySpansAsync(conn, o, where, span, weekly, args, ct);
    }

    private static async Task<Edge> FindByWeeksAsync(NpgsqlConnection conn, Order o, IReadOnlyList<string> where, WeeklyQuery weekly,
        int low, int high, long table, DynamicParameters args, CancellationToken ct)
    {
        IReadOnlyList<string> conditions = weekly.Exact ? where : [.. where, FullText.AnyLanguageGeneric(o.Alias)];
        var rowsPerWeek = (double)o.FirstSpan / (high - low + 1);
        var rows = new List<Row>();
        // Weeks are read newest first and only until the window is full; a wider range goes on below the weeks read. A
        // few matches in the first span's weeks say little about a term's density, so the first read covers
        // ProbeWeeks at least, in one statement, before the estimate may turn to reading all matches.
        for (var (newest, oldest) = (high, Math.Min(low, high - ProbeWeeks + 1)); ;)
        {
            args.Add("Weeks", Enumerable.Range(oldest, newest - oldest + 1).Reverse().Select(weekly.For).ToArray());
            args.Add("Wanted", Size - rows.Count);
            rows.AddRange(await NewestOfWeeksAsync(conn, o, conditions, args, ct));
            if (rows.Count >= Size)
                return EdgeOf(o, rows, ranked: o.PageRank is not null);
            var (weeks, found) = (high - oldest + 1, rows.Count);
            var needed = found == 0 ? long.MaxValue : Math.Max((long)weeks * Size * 3 / 2 / found, weeks * 2L);
            var allMatches = table > 0 ? found * table / (weeks * rowsPerWeek) : double.MaxValue;
            // Read whole, the window is ranked again by its page; read by weeks, it was ranked in hand.
            var whole = allMatches * PerMatch + Math.Min(allMatches, Size) * PerRank;
            if (needed > MaxWeeks || whole < (needed - weeks) * PerWeek + 1.5 * (Size - found) * PerCandidate)
                return await MatchesAsync(conn, o, where, weekly, args, ct);
            (newest, oldest) = (oldest - 1, high - (int)needed + 1);
        }
    }

    /// <summary>
    /// The newest <c>@Wanted</c> rows of the weeks <c>@Weeks</c> (weekly queries, newest week first) that satisfy the
    /// conditions, newest first. The weeks are scanned one by one, in the array's order (a nested loop over unnest),
    /// and LIMIT stops the loop at the week that fills the window, so a common term never reads all its weeks.
    /// With <see cref="Order.PageRank"/> it ranks them too, while it has them in hand, so the page reads only its own
    /// rows by address instead of reading and ranking the whole window again (docs/performance-log.md, item 17).
    /// </summary>
    private static async Task<List<Row>> NewestOfWeeksAsync(NpgsqlConnection conn, Order o, IReadOnlyList<string> conditions,
        DynamicParameters args, CancellationToken ct)
    {
        // Only the weekly index is asked: the fence keeps the planner from adding the whole GIN index or a key range.
        var rank = o.PageRank is null ? "" : $", {o.PageRank} as r";
        var sql = $"""
            select x.* from unnest(@Weeks::tsquery[]) as w(q) cross join lateral (
              select {o.Key}::text as k, {o.Id} as id, {o.Alias}.row_tid as t{rank}
              from (select {o.Alias}.ctid::text as row_tid, * from {o.From} where {o.Weekly} @@ w.q offset 0) {o.Alias}
              where {All(conditions)} order by {o.Key} desc, {o.Id} desc) x
            limit @Wanted
            """;
        return await PreparedAsync(conn, sql, args, ct);
    }

    /// <summary>The conditions joined by AND; none (an editor's exact weekly query has no other filter) is true.</summary>
    private static string All(IReadOnlyList<string> conditions) => conditions.Count == 0 ? "true" : string.Join(" and ", conditions);

    private static async Task<Edge> FindBySpansAsync(NpgsqlConnection conn, Order o, IReadOnlyList<string> where, Span first,
        WeeklyQuery? query, DynamicParameters args, CancellationToken ct)
    {
        IReadOnlyList<string> conditions = [.. where, FullText.AnyLanguageEach(o.Alias), $"{o.Key} >= @SpanKey::{o.KeyType}"];
        var (size, span) = (o.FirstSpan, first);
        while (true)
        {
            args.Add("SpanKey", span.K);
            var (rows, found) = await WindowAsync(conn, o, o.From, conditions, args, ct);
            if (found >= Size)
                return EdgeOf(o, rows);
            var next = found == 0 ? long.MaxValue : Math.Max((long)size * Size * 3 / 2 / found, size * 2L);
            // All the term's matches cost a heap visit each; a span an index entry per row plus its matches, so a rare
            // term in a large table is cheaper read whole. The table's size is the planner's estimate.
            var allMatches = span.T > 0 ? (double)found * span.T / size : double.MaxValue;
            if (next > LastSpan || allMatches < PerSpanRow * next + 1.5 * Size)
                return await MatchesAsync(conn, o, where, query, args, ct);
            size = (int)next;
            if (await SpanAsync(conn, o, size, args, ct) is not { } wider)
                return await MatchesAsync(conn, o, where, query, args, ct);
            span = wider;
        }
    }

    /// <summary>
    /// The span's oldest key (streamed off the key's index) and the table's estimated size; with a weekly index also
    /// the weeks of the span's oldest and newest keys and the query in each language as text. Null when the list is shorter.
    /// </summary>
    private static async Task<Span?> SpanAsync(NpgsqlConnection conn, Order o, int size, DynamicParameters args, CancellationToken ct)
    {
        var newest = o.Newest is null ? "" : " where " + o.Newest;
        var weeks = o.Weekly is null ? "" :
            $", search_week(x.k) as low, search_week((select {o.Key} from {o.From}{newest} order by {o.Key} desc limit 1)) as high, {FullText.EachLanguageQueryText} as q";
        // OFFSET here only skips index entries (an index-only scan), far cheaper than window functions over the span.
        var sql = $"""
            select x.k::text as k, (select reltuples::bigint from pg_class where oid = '{o.Table}'::regclass) as t{weeks} from (
              select {o.Key} as k from {o.From}{newest} order by {o.Key} desc offset @Skip limit 1) x
            """;
        args.Add("Skip", size - 1);
        if (!PreparedQuery.Covers(sql, args))
            return await conn.QueryFirstOrDefaultAsync<Span>(new CommandDefinition(sql, args, cancellationToken: ct));
        // Planned once: its one plan walks the key's index backwards whatever the offset (EXPLAIN, docs/performance-log.md, session 17).
        await using var cmd = await PreparedQuery.CreateAsync(conn, PreparedQuery.Generic(sql), args, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return (await Database.ReadSetAsync<Span>(reader, ct)).FirstOrDefault();
    }

    /// <summary>
    /// The window among all the list's matches: when fewer match, all of them, so that the page reads them by address
    /// instead of asking the GIN index again (a second pass over every candidate for a phrase of common words).
    /// </summary>
    private static async Task<Edge> MatchesAsync(NpgsqlConnection conn, Order o, IReadOnlyList<string> where, WeeklyQuery? query,
        DynamicParameters args, CancellationToken ct)
    {
        if (query is not { Exact: false })
        {
            // Bitmaps of the GIN index alone, whatever the term: planned once where it can be prepared (PreparedAsync).
            var all = $"""
                with m as materialized (select {o.Key} as key, {o.Id} as id, {o.Alias}.ctid::text as t from {o.From}
                  where {All([.. where, FullText.AnyLanguageEachGeneric(o.Alias)])})
                select m.key::text as k, m.id, m.t from m order by m.key desc, m.id desc limit {Size}
                """;
            return PreparedQuery.Covers(all, args)
                ? EdgeOf(o, await PreparedAsync(conn, all, args, ct))
                : EdgeOf(o, (await WindowAsync(conn, o, o.From, [.. where, FullText.AnyLanguageEach(o.Alias)], args, ct)).Rows);
        }
        // A phrase (or weighted) query: the GIN index cannot check positions, so left alone PostgreSQL checks every
        // candidate against its tsvector before ordering any. Here the index gives the candidates without positions
        // (phrase as AND) and the newest are checked first, until the window is full. OFFSET 0 keeps the check above
        // the sort, where LIMIT stops it.
        args.Add("Candidates", query.Plain);
        var sql = $"""
            with m as materialized (select {o.Key} as key, {o.Id} as id, {o.Alias}.ctid as t from {o.From}
              where {string.Join(" and ", [.. where, $"{o.Alias}.search @@ @Candidates::tsquery"])})
            select c.key::text as k, c.id, c.t::text as t from (select * from m order by m.key desc, m.id desc offset 0) c
            where (select {o.Alias}.search from {o.Table} {o.Alias} where {o.Alias}.ctid = c.t) @@ {FullText.AnyLanguageQuery}
            limit {Size}
            """;
        return EdgeOf(o, await WithWindowSettingsAsync(conn, sql, args, ct));
    }

    /// <summary>The newest <see cref="Size"/> rows of <paramref name="from"/> that satisfy the conditions, and how many do.</summary>
    private static async Task<(List<Row> Rows, long Found)> WindowAsync(NpgsqlConnection conn, Order o, string from, IReadOnlyList<string> conditions,
        DynamicParameters args, CancellationToken ct)
    {
        // The matches are gathered before they are ordered, and by bitmaps only: left to itself, the planner walks the
        // key's index and tests every row's tsvector (it counts the test as cheap) instead of intersecting the GIN
        // bitmap with the span.
        var sql = $"""
            with m as materialized (select {o.Key} as key, {o.Id} as id, {o.Alias}.ctid::text as t from {from} where {All(conditions)})
            select m.key::text as k, m.id, m.t, count(*) over () as n from m order by m.key desc, m.id desc limit {Size}
            """;
        var rows = await WithWindowSettingsAsync(conn, sql, args, ct);
        return (rows, rows.Count == 0 ? 0 : rows[0].N);
    }

    /// <summary>
    /// The window of these rows, newest first: its oldest member and all members (none: an empty window); with their
    /// ranks when <paramref name="ranked"/> (the rows carry <see cref="Order.PageRank"/>).
    /// </summary>
    private static Edge EdgeOf(Order o, List<Row> rows, bool ranked = false) => rows.Count == 0
        ? new Edge(null, Guid.Empty, [])
        : new Edge(o.Key == o.Id ? null : rows[^1].K, rows[^1].Id, rows.Select(r => r.T).ToArray())
        {
            Ranks = ranked ? rows.Select(r => (r.R, r.Id)).ToArray() : null,
        };

    // Bitmaps only (WindowAsync says why), no parallel workers and no JIT: the planner cannot estimate a weekly lexeme's
    // rows (no statistics per week), and overestimates led it to start workers and compile for a few hundred rows. The
    // settings go with the query, one round trip; scans are allowed again after it, for the page read in the same
    // transaction (parallel workers and JIT stay off: that page ranks at most the window's rows).
    private const string Settings =
        "set local enable_indexscan = off; set local enable_seqscan = off; set local max_parallel_workers_per_gather = 0; set local jit = off;\n";
    private const string Restore = ";\nset local enable_indexscan to default; set local enable_seqscan to default";

    private static async Task<List<Row>> WithWindowSettingsAsync(NpgsqlConnection conn, string sql, DynamicParameters args, CancellationToken ct) =>
        (await conn.QueryAsync<Row>(new CommandDefinition(Settings + sql + Restore, args, cancellationToken: ct))).AsList();

    /// <summary>
    /// <see cref="WithWindowSettingsAsync"/> for a statement prepared on its connection and planned once, generically
    /// (<see cref="PreparedQuery"/>): the SQL and the settings fix the plan's shape (bitmap scans only: a nested loop over
    /// the weeks, or the GIN index's matches), so planning it per call is wasted, yet left to choose PostgreSQL keeps
    /// custom plans.
    /// </summary>
    private static async Task<List<Row>> PreparedAsync(NpgsqlConnection conn, string sql, DynamicParameters args, CancellationToken ct)
    {
        await using var cmd = await PreparedQuery.CreateAsync(conn, Settings + PreparedQuery.Generic(sql + Restore), args, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return (await Database.ReadSetAsync<Row>(reader, ct)).AsList();
    }

    /// <summary>
    /// Keeps a page of <paramref name="take"/> rows, ordered by rank then id, both descending, inside the window: adds
    /// the condition to <paramref name="where"/> and its values to <paramref name="args"/>.
    /// </summary>
    public static void Apply(Order o, Edge edge, int take, List<string> where, DynamicParameters args)
    {
        if (edge.Rows is not null)
        {
            // The rows' addresses: a TID scan, cheaper than looking the ids up in the key's index.
            // Ranked already, only the page's own rows: the best `take` by rank and id, both descending, as the page's
            // ORDER BY ... LIMIT keeps them (Guid compares as PostgreSQL's uuid does), and none the page would drop.
            where.Add($"{o.Alias}.ctid = any(@WindowRows::tid[])");
            args.Add("WindowRows", edge.Ranks is not { } ranks ? edge.Rows : edge.Rows.Zip(ranks)
                .Where(r => r.Second.Rank is not null)
                .OrderByDescending(r => r.Second.Rank).ThenByDescending(r => r.Second.Id)
                .Take(take).Select(r => r.First).ToArray());
            return;
        }
        where.Add(o.Key == o.Id ? $"{o.Id} >= @WindowId" : $"({o.Key}, {o.Id}) >= (@WindowKey::{o.KeyType}, @WindowId)");
        args.Add("WindowKey", edge.Key);
        args.Add("WindowId", edge.Id);
    }
}
