using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using Npgsql;

namespace ContentApi.Sync;

// Always the primary, readers too: a standby's snapshot can miss a transaction running on the primary, and the
// cut-off below would then skip its change (docs/reliability.md, section 7).
public sealed class SyncRepository(NpgsqlDataSource dataSource)
{
    // Only changes of transactions below the oldest one still running: a transaction that started earlier
    // but commits later can then never land behind a position a client already holds.
    private const string Changes = """
        select c.entity, c.id, c.tx::text as tx, c.seq, c.version, c.deleted
        from sync_changes c
        where c.tx < pg_snapshot_xmin(pg_current_snapshot())
          and (c.tx, c.seq) > (@Tx::xid8, @Seq)
        """;

    // Custom plans, as PostgreSQL chooses: forced generic plans, cheaper to plan, chose far worse scans on a large
    // archive (docs/performance-log.md, session 16).
    private const string Now = "select now()";

    // Scheduled articles whose time came since the last page, oldest first: no write marks that moment, so readers get
    // them here, a page at a time; (At, AI) is the last one handed out. Ids only: most pages have none, and PostgreSQL
    // plans this anew for every page (custom plans), which for the whole article document cost more than running it
    // (docs/performance-log.md, session 17).
    private const string Released = """
        select a.id from articles a
        where article_visible(a.status, a.published_at) and (a.published_at, a.id) > (@ReleaseFrom, @ReleaseAfter)
        order by a.published_at, a.id limit @Take
        """;

    private const string ReleasedLinks = "select aq.article_id, aq.quote_id from article_quotes aq where aq.article_id = any(@Articles)";
    private const string ReleasedQuoteIds = "select aq.quote_id from article_quotes aq where aq.article_id = any(@Articles)";

    public static readonly Guid LastId = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    /// <summary>The statements of a page for an audience, as <see cref="ReadAsync"/> sends them (the benchmark's ceiling runs them too).</summary>
    public static SyncStatements Statements(Audience audience) => audience == Audience.Reader ? ReaderStatements : EditorStatements;

    private static readonly SyncStatements ReaderStatements = Build(Audience.Reader), EditorStatements = Build(Audience.Editor);

    private static SyncStatements Build(Audience audience)
    {
        var changes = Changes + (audience == Audience.Reader ? " and c.ever_public" : "") + " order by c.tx, c.seq limit @Take";
        string[] Items(Func<string, string> ids) =>
        [
            ArticleRepository.EmbedSql(audience, ids("article")),
            QuoteRepository.EmbedSql(audience, ids("quote")),
            PersonRepository.EmbedSql(ids("person")),
            SourceRepository.EmbedSql(ids("source")),
        ];
        // The changed items straight from the changes statement, cut to @Room: in one snapshot these are the rows the
        // changes statement returned, so a page needs no second round trip. A reader's scans read public changes only
        // (migration 0020). @Room goes in as a literal (OnePassItems): with a parameter there PostgreSQL planned all
        // four anew for every page (docs/performance-log.md, session 19).
        var ofChanges = changes.Replace("limit @Take", "limit @Room", StringComparison.Ordinal);
        return new(
            OnePassBegin,
            Now,
            Released,
            ArticleRepository.EmbedSql(Audience.Editor, "select unnest(@Articles)") + ";\n" + ReleasedLinks + ";\n"
                + QuoteRepository.EmbedSql(audience, ReleasedQuoteIds, visible: true),
            changes,
            string.Join(";\n", Items(entity => $"select unnest(@{IdsParameter(entity)})")),
            Items(entity => $"select c.id from ({ofChanges}) c where c.entity = '{entity}' and not c.deleted"),
            "commit");
    }

    private static string IdsParameter(string entity) => entity switch
    {
        "article" => "Articles", "quote" => "Quotes", "person" => "People", _ => "Sources",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Audience, int), string[]> OnePass = new();

    // The sizes item statements are written for: a page's limit goes up to the next one, so each connection prepares at
    // most six sets whatever limits clients send. Items read past the limit are not used: the page keeps its own changes.
    private static readonly int[] Rooms = [10, 25, 50, 100, 200, SyncEndpoints.MaxLimit];

    /// <summary>The one pass's item statements for a page of at most <paramref name="limit"/> changes.</summary>
    public static string[] OnePassItems(Audience audience, int limit) => OnePass.GetOrAdd((audience, Rooms.First(r => r >= limit)), key =>
        [.. Statements(key.Item1).ItemsOfChanges.Select(sql => sql.Replace("@Room", key.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))]);

    // The one pass's transaction, begun and committed inside its batch: an NpgsqlTransaction's commit is a round trip of its own.
    private const string OnePassBegin = "begin isolation level repeatable read read only";

    public async Task<(IReadOnlyList<SyncItem> Items, SyncPosition Next, bool More)> ReadAsync(
        SyncPosition? since, int limit, Audience audience, CancellationToken ct)
    {
        var position = since ?? new SyncPosition("0", 0, DateTime.MinValue);
        var releases = audience == Audience.Reader && since is not null;
        return await ReadInOnePassAsync(position, releases, limit, audience, ct)
            ?? await ReadWithReleasesAsync(position, limit, audience, ct);
    }

    /// <summary>
    /// A page without releases, the usual one, in a single round trip: its transaction, now(), the releases (when a
    /// reader's may be due), the changes and their items in one batch. Null when releases came due: their page needs
    /// the changes cut to the room they leave, so it is read again by <see cref="ReadWithReleasesAsync"/>, and the
    /// batch's items were read for nothing (a release comes once per client).
    /// </summary>
    private async Task<(IReadOnlyList<SyncItem>, SyncPosition, bool)?> ReadInOnePassAsync(
        SyncPosition position, bool releases, int limit, Audience audience, CancellationToken ct)
    {
        var sql = Statements(audience);
        List<ChangeRow> changes;
        var data = new Dictionary<(string, Guid), (int Version, object Row)>();
        DateTime now;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var batch = new NpgsqlBatch(conn))
        {
            batch.BatchCommands.Add(Command(sql.Begin));
            batch.BatchCommands.Add(Command(sql.Now));
            if (releases)
                batch.BatchCommands.Add(Command(sql.Released,
                    Param("ReleaseFrom", DateTime.SpecifyKind(position.At, DateTimeKind.Utc)),
                    Param("ReleaseAfter", position.AI ?? LastId), Param("Take", 1)));
            batch.BatchCommands.Add(Command(sql.Changes, Param("Tx", position.Tx), Param("Seq", position.Seq), Param("Take", limit + 1)));
            foreach (var items in OnePassItems(audience, limit))
                batch.BatchCommands.Add(Command(items, Param("Tx", position.Tx), Param("Seq", position.Seq)));
            batch.BatchCommands.Add(Command(sql.Commit));
            await batch.PrepareAsync(ct);
            await using var rows = await batch.ExecuteReaderAsync(ct);
            await rows.ReadAsync(ct);
            now = DateTime.SpecifyKind(rows.GetDateTime(0), DateTimeKind.Utc);
            await rows.NextResultAsync(ct);
            if (releases && (await Database.ReadSetAsync<Guid>(rows, ct)).Any())
                return null;
            changes = (await Database.ReadSetAsync<ChangeRow>(rows, ct)).ToList();
            await ReadItemsAsync(rows, data, ct);
        }

        var more = changes.Count > limit;
        if (more) changes = changes[..limit];
        return Assemble([], [], changes, data, releasedAll: true, lastReleased: null, position, now, more);
    }

    /// <summary>
    /// A reader's page with releases due: the released articles first, then the changes in the room they leave, in one
    /// transaction. Only <see cref="ReadInOnePassAsync"/> finding a release due leads here.
    /// </summary>
    private async Task<(IReadOnlyList<SyncItem>, SyncPosition, bool)> ReadWithReleasesAsync(
        SyncPosition position, int limit, Audience audience, CancellationToken ct)
    {
        var sql = Statements(audience);
        // Rows only while the connection is held; they become responses after it is back in the pool.
        var page = new List<Pending>();
        var seen = new HashSet<(string, Guid)>();
        var releasedAll = true;
        SyncArticle? lastReleased = null;
        var changes = new List<ChangeRow>();
        var more = false;
        var data = new Dictionary<(string, Guid), (int Version, object Row)>();
        DateTime now;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            // One transaction: every statement sees the same now(), so visibility and the release window agree.
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            // now(), the releases and the changes in one round trip: the changes are read for a whole page and cut to
            // the room the releases leave (the same rows as asking for that many), and go unused when releases fill it.
            List<Guid> released = [];
            await using (var batch = new NpgsqlBatch(conn, tx))
            {
                batch.BatchCommands.Add(Command(sql.Now));
                batch.BatchCommands.Add(Command(sql.Released,
                    Param("ReleaseFrom", DateTime.SpecifyKind(position.At, DateTimeKind.Utc)),
                    Param("ReleaseAfter", position.AI ?? LastId), Param("Take", limit + 1)));
                batch.BatchCommands.Add(Command(sql.Changes, Param("Tx", position.Tx), Param("Seq", position.Seq), Param("Take", limit + 1)));
                await batch.PrepareAsync(ct);
                await using var rows = await batch.ExecuteReaderAsync(ct);
                await rows.ReadAsync(ct);
                now = DateTime.SpecifyKind(rows.GetDateTime(0), DateTimeKind.Utc);
                await rows.NextResultAsync(ct);
                released = (await Database.ReadSetAsync<Guid>(rows, ct)).ToList();
                changes = (await Database.ReadSetAsync<ChangeRow>(rows, ct)).ToList();
            }

            // Releases come first and count against the page like changes: an article with its quotes, never split.
            if (released.Count > 0)
            {
                List<SyncArticle> articles;
                ILookup<Guid, Guid> links;
                Dictionary<Guid, QuoteRow> quotes;
                await using (var cmd = await PreparedAsync(conn, tx, sql.ReleasedLinks, ct, Param("Articles", released.ToArray())))
                await using (var rows = await cmd.ExecuteReaderAsync(ct))
                {
                    // The embed query keeps no order: Guid compares as PostgreSQL's uuid does, so the keyset order is restored here.
                    articles = (await SyncRows.ArticlesAsync(rows, ct)).OrderBy(a => a.Row.PublishedAt).ThenBy(a => a.Row.Id).ToList();
                    links = (await Database.ReadSetAsync<(Guid ArticleId, Guid QuoteId)>(rows, ct)).ToLookup(l => l.ArticleId, l => l.QuoteId);
                    quotes = (await SyncRows.QuotesAsync(rows, ct)).ToDictionary(q => q.Id);
                }
                foreach (var article in articles)
                {
                    var fresh = links[article.Row.Id].Where(q => quotes.ContainsKey(q) && !seen.Contains(("quote", q))).Distinct().ToList();
                    if (page.Count > 0 && page.Count + 1 + fresh.Count > limit)
                    {
                        releasedAll = false;
                        break;
                    }
                    seen.Add(("article", article.Row.Id));
                    page.Add(new Pending("article", article.Row.Id, SyncOp.Upsert, article.Row.Version, article));
                    foreach (var id in fresh)
                    {
                        seen.Add(("quote", id));
                        page.Add(new Pending("quote", id, SyncOp.Upsert, quotes[id].Version, quotes[id]));
                    }
                    lastReleased = article;
                }
            }

            var room = limit - page.Count;
            more = !releasedAll || room <= 0;
            if (releasedAll && room > 0)
            {
                more = changes.Count > room;
                if (more) changes = changes[..room];
            }
            else
                changes = [];

            Guid[] Ids(string entity) => changes.Where(c => c.Entity == entity && !c.Deleted).Select(c => c.Id).ToArray();
            if (changes.Count > 0)
            {
                await using var cmd = await PreparedAsync(conn, tx, sql.Items, ct,
                    Param("Articles", Ids("article")), Param("Quotes", Ids("quote")), Param("People", Ids("person")), Param("Sources", Ids("source")));
                await using var rows = await cmd.ExecuteReaderAsync(ct);
                await ReadItemsAsync(rows, data, ct);
            }
            await tx.CommitAsync(ct);
        }

        return Assemble(page, seen, changes, data, releasedAll, lastReleased, position, now, more);
    }

    private static async Task ReadItemsAsync(NpgsqlDataReader rows, Dictionary<(string, Guid), (int Version, object Row)> data, CancellationToken ct)
    {
        foreach (var a in await SyncRows.ArticlesAsync(rows, ct)) data[("article", a.Row.Id)] = (a.Row.Version, a);
        foreach (var q in await SyncRows.QuotesAsync(rows, ct)) data[("quote", q.Id)] = (q.Version, q);
        foreach (var p in await Database.ReadSetAsync<PersonRow>(rows, ct)) data[("person", p.Id)] = (p.Version, p);
        foreach (var src in await Database.ReadSetAsync<SourceRow>(rows, ct)) data[("source", src.Id)] = (src.Version, src);
    }

    /// <summary>The page's items in order: the releases already in <paramref name="page"/>, then each change as an upsert of its row or a delete.</summary>
    private static (IReadOnlyList<SyncItem>, SyncPosition, bool) Assemble(List<Pending> page, HashSet<(string, Guid)> seen,
        List<ChangeRow> changes, Dictionary<(string, Guid), (int Version, object Row)> data, bool releasedAll,
        SyncArticle? lastReleased, SyncPosition position, DateTime now, bool more)
    {
        foreach (var change in changes)
        {
            if (!seen.Add((change.Entity, change.Id))) continue;
            page.Add(data.TryGetValue((change.Entity, change.Id), out var found)
                ? new Pending(change.Entity, change.Id, SyncOp.Upsert, found.Version, found.Row)
                // Deleted, or exists but readers may not see it (draft, scheduled, archived, a quote of nothing public).
                : new Pending(change.Entity, change.Id, SyncOp.Delete, change.Version, null));
        }
        var items = page.ConvertAll(p => new SyncItem { Type = p.Type, Id = p.Id, Op = p.Op, Version = p.Version, Data = Response(p.Row) });

        var last = changes.Count > 0 ? changes[^1] : null;
        // Releases cut short: the next page goes on after the last one handed out, changes not yet read. Otherwise every
        // release up to now() is out, and the next page's releases start there.
        var next = releasedAll
            ? new SyncPosition(last?.Tx ?? position.Tx, last?.Seq ?? position.Seq, now)
            : new SyncPosition(position.Tx, position.Seq, DateTime.SpecifyKind(lastReleased!.Row.PublishedAt!.Value, DateTimeKind.Utc)) { AI = lastReleased.Row.Id };
        return (items, next, more);
    }

    private readonly record struct Pending(string Type, Guid Id, SyncOp Op, int Version, object? Row);

    private static object? Response(object? row) => row switch
    {
        null => null,
        SyncArticle a => a,
        QuoteRow q => q.ToResponse(),
        PersonRow p => p.ToResponse(),
        SourceRow s => s.ToResponse(),
        _ => throw new InvalidOperationException($"No response for {row.GetType().Name}."),
    };

    private static NpgsqlParameter Param<T>(string name, T value) => new NpgsqlParameter<T>(name, value);

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>
    /// A page's statements run prepared, explicitly (auto-prepare is off, see Database.ConfigureDataSource): unprepared,
    /// PostgreSQL parsed and planned each of them again on every page (docs/performance-log.md, session 16).
    /// The Parse goes out once per physical connection; later PrepareAsync calls cost nothing.
    /// </summary>
    private static async Task<NpgsqlCommand> PreparedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        await cmd.PrepareAsync(ct);
        return cmd;
    }
}
