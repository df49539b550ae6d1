using Dapper;
using Npgsql;

namespace ContentApi.Infrastructure;

/// <summary>
/// Full-text conditions on a row's generated <c>search</c> tsvector, built in the row's own language. The GIN index
/// answers "contains the terms in any of the three languages"; the row's own language is then checked on the candidates.
/// Each websearch_to_tsquery has constant arguments, so PostgreSQL folds it once at planning (before, the own-language
/// query was parsed again for every matching row, in the filter and again in ts_rank: half the cost of a search).
/// </summary>
public static class FullText
{
    public static string AnyLanguage(string alias) =>
        $"{alias}.search @@ (websearch_to_tsquery('indonesian', @Q) || websearch_to_tsquery('english', @Q) || websearch_to_tsquery('simple', @Q))";

    private static string OwnLanguageQuery(string alias) =>
        $"case content_regconfig({alias}.language) when 'indonesian'::regconfig then websearch_to_tsquery('indonesian', @Q)" +
        " when 'english'::regconfig then websearch_to_tsquery('english', @Q) else websearch_to_tsquery('simple', @Q) end";

    public static string OwnLanguage(string alias) => $"{alias}.search @@ {OwnLanguageQuery(alias)}";

    public static string Rank(string alias) => $"ts_rank({alias}.search, {OwnLanguageQuery(alias)})";
}

/// <summary>
/// Ranked full-text search ranks the newest <see cref="Size"/> matches of a list, not all of them. Ranking reads each
/// candidate's whole tsvector (an article's is about 2 KB, stored out of line), so ranking every match cost 18 µs per
/// match: 200 ms for a common term at 100k articles, growing with the archive. With a window the work per page stays the
/// same at any archive size; a date-ordered list (sort=-publishedAt with q) still reaches every match.
/// </summary>
public static class RankedWindow
{
    public const int Size = 300;

    // The window is looked for among the newest 8,192 rows of the list first. A term too rare to fill it there is
    // looked for next in a span sized from the density seen (for 1.5 windows), or in all its matches when that costs
    // less or the span would pass 262,144 rows: each span step intersects an index range with the GIN match bitmap,
    // so only matches inside it are read from the heap (bench/README.md has the measurements).
    private const int FirstSpan = 8_192, LastSpan = 262_144;

    /// <summary>
    /// A list's newest-first order: rows of <c>From</c> by <c>Key</c> (of SQL type <c>KeyType</c>) then <c>Id</c>, both
    /// descending; <c>Newest</c> is the condition (or null) of the index the spans walk, e.g. readers' visibility.
    /// </summary>
    public sealed record Order(string From, string Key, string KeyType, string Id, string? Newest = null);

    /// <summary>
    /// The window's oldest member, carried in cursors so later pages rank the same rows; on the first page also the
    /// window's members, so that page reads them by id instead of intersecting the range again.
    /// </summary>
    public sealed record Edge(string? Key, Guid Id, Guid[]? Members = null);

    private sealed class Row
    {
        public string? K { get; init; }
        public Guid Id { get; init; }
        public long N { get; init; }
    }

    private sealed class Span
    {
        public string K { get; init; } = "";
        public long T { get; init; }
    }

    public static Edge? FromCursor(Keyset after) => after.WI is { } id ? new Edge(after.WK, id) : null;

    /// <summary>The newest <see cref="Size"/> rows that satisfy <paramref name="where"/>; null when fewer do.</summary>
    public static async Task<Edge?> FindAsync(NpgsqlConnection conn, Order o, IEnumerable<string> where, DynamicParameters args, CancellationToken ct)
    {
        var conditions = string.Join(" and ", where);
        // The span's oldest key, streamed off the key's index; no row means the list is shorter than the span.
        var spanSql = $"""
            select x.k::text as k, (select reltuples::bigint from pg_class where oid = '{o.From.Split(' ')[0]}'::regclass) as t from (
              select {o.Key} as k, row_number() over (order by {o.Key} desc) as r from {o.From}{(o.Newest is null ? "" : " where " + o.Newest)}
              order by {o.Key} desc limit @Span) x
            where x.r = @Span
            """;
        long table = 0;
        int? size = FirstSpan;
        while (true)
        {
            if (size is not null)
            {
                args.Add("Span", size.Value);
                var span = await conn.QueryFirstOrDefaultAsync<Span>(new CommandDefinition(spanSql, args, cancellationToken: ct));
                if (span is null) size = null; // the list is shorter than the span: look at all of it
                args.Add("SpanKey", span?.K);
                table = span?.T ?? 0;
            }
            // The matches are gathered before they are ordered, and by bitmaps only: left to itself, the planner walks
            // the key's index and reads every row's tsvector to test it (it counts the test as cheap; the tsvector is
            // out of line), 30 ms for a rare term at 10k, instead of intersecting the GIN bitmap with the span.
            var sql = $"""
                with m as materialized (
                  select {o.Key} as key, {o.Id} as id from {o.From}
                  where {conditions}{(size is null ? "" : $" and {o.Key} >= @SpanKey::{o.KeyType}")})
                select m.key::text as k, m.id, count(*) over () as n from m order by m.key desc, m.id desc limit {Size}
                """;
            await using var tx = await conn.BeginTransactionAsync(ct);
            await conn.ExecuteAsync(new CommandDefinition("set local enable_indexscan = off; set local enable_seqscan = off", transaction: tx, cancellationToken: ct));
            var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).AsList();
            await tx.CommitAsync(ct);
            var found = rows.Count == 0 ? 0 : rows[0].N;
            if (found >= Size)
                return new Edge(o.Key == o.Id ? null : rows[^1].K, rows[^1].Id, rows.Select(r => r.Id).ToArray());
            if (size is null)
                return null;
            var next = found == 0 ? long.MaxValue : Math.Max((long)size.Value * Size * 3 / 2 / found, size.Value * 2L);
            // All the term's matches cost a heap visit each (about 1 µs); a span an index entry per row (0.16 µs) plus
            // its matches. A rare term in a large table is cheaper whole: at 100k, a term in 0.5 % of the articles has
            // 450 matches (0.5 ms) against a span of 90,000 rows (15 ms). The table's size is the planner's estimate.
            var allMatches = table > 0 ? (double)found * table / size.Value : double.MaxValue;
            size = next > LastSpan || allMatches < 0.16 * next + 1.5 * Size ? null : (int)next;
        }
    }

    /// <summary>Keeps a list inside the window: adds the condition to <paramref name="where"/> and its values to <paramref name="args"/>.</summary>
    public static void Apply(Order o, Edge edge, List<string> where, DynamicParameters args)
    {
        if (edge.Members is not null)
        {
            where.Add($"{o.Id} = any(@WindowMembers)");
            args.Add("WindowMembers", edge.Members);
            return;
        }
        where.Add(o.Key == o.Id ? $"{o.Id} >= @WindowId" : $"({o.Key}, {o.Id}) >= (@WindowKey::{o.KeyType}, @WindowId)");
        args.Add("WindowKey", edge.Key);
        args.Add("WindowId", edge.Id);
    }
}
