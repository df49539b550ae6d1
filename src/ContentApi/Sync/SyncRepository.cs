using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using Dapper;
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

    private const string Now = "select now()";

    // Scheduled articles whose time came since the last page, oldest first: no write marks that moment, so readers get
    // them here, a page at a time; (At, AI) is the last one handed out.
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

    private static SyncStatements Build(Audience audience) => new(
        Now,
        ArticleRepository.EmbedSql(Audience.Editor, Released),
        ReleasedLinks + ";\n" + QuoteRepository.EmbedSql(audience, ReleasedQuoteIds, visible: true),
        Changes + (audience == Audience.Reader ? " and c.ever_public" : "") + " order by c.tx, c.seq limit @Take",
        string.Join(";\n",
            ArticleRepository.EmbedSql(audience, "select unnest(@Articles)"),
            QuoteRepository.EmbedSql(audience, "select unnest(@Quotes)"),
            PersonRepository.EmbedSql("select unnest(@People)"),
            SourceRepository.EmbedSql("select unnest(@Sources)")));

    public async Task<(IReadOnlyList<SyncItem> Items, SyncPosition Next, bool More)> ReadAsync(
        SyncPosition? since, int limit, Audience audience, CancellationToken ct)
    {
        var reader = audience == Audience.Reader;
        var sql = Statements(audience);
        var position = since ?? new SyncPosition("0", 0, DateTime.MinValue);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One transaction: every statement sees the same now(), so visibility and the release window agree.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var now = DateTime.SpecifyKind(await conn.QuerySingleAsync<DateTime>(new CommandDefinition(sql.Now, transaction: tx, cancellationToken: ct)), DateTimeKind.Utc);

        var items = new List<SyncItem>();
        var seen = new HashSet<(string, Guid)>();
        // Releases come first and count against the page like changes: an article with its quotes, never split.
        var releasedAll = true;
        ArticleRow? lastReleased = null;
        if (reader && since is not null)
        {
            // The embed query keeps no order: Guid compares as PostgreSQL's uuid does, so the keyset order is restored here.
            var articles = (await conn.QueryAsync<ArticleRow>(new CommandDefinition(sql.Released,
                new { ReleaseFrom = position.At, ReleaseAfter = position.AI ?? LastId, Take = limit + 1 }, tx, cancellationToken: ct)))
                .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).ToList();
            if (articles.Count > 0)
            {
                using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql.ReleasedLinks,
                    new { Articles = articles.Select(a => a.Id).ToArray() }, tx, cancellationToken: ct));
                var links = (await grid.ReadAsync<(Guid ArticleId, Guid QuoteId)>()).ToLookup(l => l.ArticleId, l => l.QuoteId);
                var quotes = (await grid.ReadAsync<QuoteRow>()).ToDictionary(q => q.Id);
                foreach (var article in articles)
                {
                    var fresh = links[article.Id].Where(q => quotes.ContainsKey(q) && !seen.Contains(("quote", q))).Distinct().ToList();
                    if (items.Count > 0 && items.Count + 1 + fresh.Count > limit)
                    {
                        releasedAll = false;
                        break;
                    }
                    seen.Add(("article", article.Id));
                    items.Add(new SyncItem { Type = "article", Id = article.Id, Op = SyncOp.Upsert, Version = article.Version, Data = article.ToResponse() });
                    foreach (var id in fresh)
                    {
                        seen.Add(("quote", id));
                        items.Add(new SyncItem { Type = "quote", Id = id, Op = SyncOp.Upsert, Version = quotes[id].Version, Data = quotes[id].ToResponse() });
                    }
                    lastReleased = article;
                }
            }
        }

        var room = limit - items.Count;
        var changes = new List<ChangeRow>();
        var more = !releasedAll || room <= 0;
        if (releasedAll && room > 0)
        {
            changes = (await conn.QueryAsync<ChangeRow>(new CommandDefinition(sql.Changes,
                new { position.Tx, position.Seq, Take = room + 1 }, tx, cancellationToken: ct))).ToList();
            more = changes.Count > room;
            if (more) changes = changes[..room];
        }

        Guid[] Ids(string entity) => changes.Where(c => c.Entity == entity && !c.Deleted).Select(c => c.Id).ToArray();
        var data = new Dictionary<(string, Guid), (int Version, object Data)>();
        if (changes.Count > 0)
        {
            using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql.Items, new
            {
                Articles = Ids("article"),
                Quotes = Ids("quote"),
                People = Ids("person"),
                Sources = Ids("source"),
            }, tx, cancellationToken: ct));
            foreach (var a in await grid.ReadAsync<ArticleRow>()) data[("article", a.Id)] = (a.Version, a.ToResponse());
            foreach (var q in await grid.ReadAsync<QuoteRow>()) data[("quote", q.Id)] = (q.Version, q.ToResponse());
            foreach (var p in await grid.ReadAsync<PersonRow>()) data[("person", p.Id)] = (p.Version, p.ToResponse());
            foreach (var src in await grid.ReadAsync<SourceRow>()) data[("source", src.Id)] = (src.Version, src.ToResponse());
        }
        await tx.CommitAsync(ct);

        foreach (var change in changes)
        {
            if (!seen.Add((change.Entity, change.Id))) continue;
            items.Add(data.TryGetValue((change.Entity, change.Id), out var found)
                ? new SyncItem { Type = change.Entity, Id = change.Id, Op = SyncOp.Upsert, Version = found.Version, Data = found.Data }
                // Deleted, or exists but readers may not see it (draft, scheduled, archived, a quote of nothing public).
                : new SyncItem { Type = change.Entity, Id = change.Id, Op = SyncOp.Delete, Version = change.Version });
        }

        var last = changes.Count > 0 ? changes[^1] : null;
        // Releases cut short: the next page goes on after the last one handed out, changes not yet read. Otherwise every
        // release up to now() is out, and the next page's releases start there.
        var next = releasedAll
            ? new SyncPosition(last?.Tx ?? position.Tx, last?.Seq ?? position.Seq, now)
            : new SyncPosition(position.Tx, position.Seq, DateTime.SpecifyKind(lastReleased!.PublishedAt!.Value, DateTimeKind.Utc)) { AI = lastReleased.Id };
        return (items, next, more);
    }
}
