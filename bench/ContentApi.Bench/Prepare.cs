using System.Globalization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Sync;
using Npgsql;

namespace ContentApi.Bench;

/// <summary>
/// Writes what the load scripts need beyond the seed lists: list cursors deep in the newest-published order and sync
/// tokens spread over the whole feed, both encoded by the API's own <see cref="CursorCodec"/> with the API's secret
/// (the bench checks that the page-2 cursor equals the one the running API hands out), and the pgbench script: the
/// exact batch <see cref="ArticleRepository.GetAsync"/> sends for a slug, prepared, in one pipeline (one round trip).
/// </summary>
public static class Prepare
{
    public const string Include = "quotes.speaker,quotes.source,people,sources";

    // What ArticleRepository.Visible says: readers see published articles whose time has come.
    private const string Visible = "a.status = 'published' and a.published_at <= now()";

    public static async Task<int> RunAsync(Options o)
    {
        var outDir = o.Get("out");
        var codec = new CursorCodec(Microsoft.Extensions.Options.Options.Create(new PaginationOptions { CursorSecret = o.Get("secret") }));
        await using var ds = NpgsqlDataSource.Create(o.Get("conn"));
        await using var conn = await ds.OpenConnectionAsync();
        var r = new Random(7);

        // Keyset cursors after row 20k of the reader's newest-first list: page k+1 of limit=20.
        long visible;
        await using (var count = new NpgsqlCommand($"select count(*) from articles a where {Visible}", conn))
            visible = (long)(await count.ExecuteScalarAsync())!;
        var pages = (int)Math.Max(2, visible / 20 - 1);
        var ranks = new SortedSet<long> { 20 };
        while (ranks.Count < Math.Min(300, pages)) ranks.Add(20L * r.Next(1, pages));
        var cursors = new List<(long Rank, string Cursor)>();
        await using (var cmd = new NpgsqlCommand($"""
            select rn, published_sort, id from (
              select a.published_sort, a.id, row_number() over (order by a.published_sort desc, a.id desc) as rn
              from articles a where {Visible}) x
            where rn = any(@Ranks) order by rn
            """, conn) { CommandTimeout = 0 })
        {
            cmd.Parameters.AddWithValue("Ranks", ranks.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
                cursors.Add((reader.GetInt64(0), codec.Encode(new Keyset(ArticleRepository.ListName(ArticleRepository.DefaultSort), key, reader.GetGuid(2)))));
            }
        }
        await File.WriteAllTextAsync(Path.Combine(outDir, "cursor-page2.txt"), cursors[0].Cursor);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "cursors.txt"), cursors.Skip(1).Select(c => Uri.EscapeDataString(c.Cursor)));

        // Sync tokens at random positions of the feed readers get.
        var tokens = new List<string>();
        var positions = new List<(string Tx, long Seq)>();
        var tokenTime = DateTime.UtcNow;
        await using (var cmd = new NpgsqlCommand("""
            select tx::text, seq from sync_changes where ever_public and seq in (
              select (1 + floor(random() * (select max(seq) from sync_changes)))::bigint from generate_series(1, 400))
            """, conn) { CommandTimeout = 0 })
        {
            await using (var seed = new NpgsqlCommand("select setseed(0.42)", conn)) await seed.ExecuteNonQueryAsync();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                positions.Add((reader.GetString(0), reader.GetInt64(1)));
                tokens.Add(codec.Encode(new SyncPosition(reader.GetString(0), reader.GetInt64(1), tokenTime)));
            }
        }
        await File.WriteAllLinesAsync(Path.Combine(outDir, "tokens.txt"), tokens.Select(Uri.EscapeDataString));
        await WriteSyncCeilingAsync(conn, outDir, positions, tokenTime);

        // The update targets with their current versions: on a reused database (BENCH_REUSE_DB=1) earlier runs have
        // updated them since the seed wrote the list, and stale versions would make every PATCH a 412.
        var updatePath = Path.Combine(outDir, "update-ids.txt");
        var updateIds = (await File.ReadAllLinesAsync(updatePath)).Select(l => Guid.Parse(l.Split('\t')[0])).ToArray();
        var versions = new Dictionary<Guid, int>();
        await using (var cmd = new NpgsqlCommand("select id, version from articles where id = any(@ids)", conn))
        {
            cmd.Parameters.AddWithValue("ids", updateIds);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) versions[reader.GetGuid(0)] = reader.GetInt32(1);
        }
        await File.WriteAllLinesAsync(updatePath, updateIds.Where(versions.ContainsKey)
            .Select(id => $"{id}\t{versions[id].ToString(CultureInfo.InvariantCulture)}"));
        // pgbench: the write scenarios' statements (issue 28 item 3), see WriteCeilings.
        await WriteCeilings.WriteAsync(ds, outDir);

        // pgbench: the statements of GET /v1/articles/{slug}?include=... for a reader, with a random published slug.
        if (!ArticleIncludes.TryParse(Include, out var include, out _))
            throw new InvalidOperationException("include");
        var sql = ArticleRepository.GetBySlugSql(Audience.Reader, include);
        var published = long.Parse(o.Get("published"), CultureInfo.InvariantCulture);
        var statements = sql.Split(";\n").Select(s => s.Replace("@Slug", "('bench-article-' || :n)", StringComparison.Ordinal).Trim() + ";");
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-get.sql"),
            $"\\set n random(1, {published})\n\\startpipeline\n{string.Join("\n", statements)}\n\\endpipeline\n");
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-get-nopipeline.sql"),
            $"\\set n random(1, {published})\n{string.Join("\n", statements)}\n");
        await SearchCeiling.WriteAsync(o.Get("conn"), outDir);
        // The same document built whole by PostgreSQL (ArticleRepository.GetDocumentAsync), for compare-pgbench-document-c4.
        var document = ArticleRepository.DocumentBySlugSql(include).Replace("@Slug", "('bench-article-' || :n)", StringComparison.Ordinal).Trim();
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-get-document.sql"),
            $"\\set n random(1, {published})\n{document};\n");
        Console.Error.WriteLine($"prepare: {cursors.Count - 1} deep cursors, {tokens.Count} sync tokens, pgbench script of {statements.Count()} statements");
        return 0;
    }

    /// <summary>
    /// pgbench: a reader's sync page from one of the saved tokens' positions, the statements <see cref="SyncRepository"/>
    /// sends for a page without releases, in one pipeline as its one batch (its transaction, now(), whether a release is
    /// due since the token, the changes after its position, the changed items read straight from the changes, the commit).
    /// The position comes from a lookup in bench_sync_positions (one primary-key read).
    /// </summary>
    private static async Task WriteSyncCeilingAsync(NpgsqlConnection conn, string outDir, List<(string Tx, long Seq)> positions, DateTime at)
    {
        await using (var cmd = new NpgsqlCommand("""
            drop table if exists bench_sync_positions;
            create table bench_sync_positions (n int primary key, tx text not null, seq bigint not null, at timestamptz not null);
            insert into bench_sync_positions select p.n, p.tx, p.seq, @At from unnest(@Tx, @Seq) with ordinality as p(tx, seq, n);
            """, conn))
        {
            cmd.Parameters.AddWithValue("Tx", positions.Select(p => p.Tx).ToArray());
            cmd.Parameters.AddWithValue("Seq", positions.Select(p => p.Seq).ToArray());
            cmd.Parameters.AddWithValue("At", at);
            await cmd.ExecuteNonQueryAsync();
        }
        const int room = 100; // the scenario's 100 changes a page
        var sql = SyncRepository.Statements(Audience.Reader);
        string Bind(string statement) => statement.Replace("@ReleaseFrom", ":p_at::timestamptz", StringComparison.Ordinal)
            .Replace("@ReleaseAfter", $"'{SyncRepository.LastId}'::uuid", StringComparison.Ordinal)
            .Replace("@Tx", ":p_tx", StringComparison.Ordinal).Replace("@Seq", ":p_seq", StringComparison.Ordinal);
        // Take: one release tells a page it must go the releases' way; one change more than the room tells it there are more.
        var script = $"""
            \set n random(1, {positions.Count})
            select tx as tx, seq as seq, at as at from bench_sync_positions where n = :n \gset p_
            \startpipeline
            {sql.Begin};
            {sql.Now};
            {Bind(sql.Released).Replace("@Take", "1", StringComparison.Ordinal)};
            {Bind(sql.Changes).Replace("@Take", $"{room + 1}", StringComparison.Ordinal)};
            {string.Join(";\n", SyncRepository.OnePassItems(Audience.Reader, room).Select(Bind))};
            {sql.Commit};
            \endpipeline

            """;
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-sync.sql"), script.ReplaceLineEndings("\n"));
    }
}
