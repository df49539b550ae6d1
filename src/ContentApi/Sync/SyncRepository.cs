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

    public async Task<(IReadOnlyList<SyncItem> Items, SyncPosition Next, bool More)> ReadAsync(
        SyncPosition? since, int limit, Audience audience, CancellationToken ct)
    {
        var reader = audience == Audience.Reader;
        var position = since ?? new SyncPosition("0", 0, DateTime.MinValue);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One transaction: every statement sees the same now(), so visibility and the release window agree.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var now = await conn.QuerySingleAsync<DateTime>(new CommandDefinition(Now, transaction: tx, cancellationToken: ct));

        var changes = (await conn.QueryAsync<ChangeRow>(new CommandDefinition(
            Changes + (reader ? " and c.ever_public" : "") + " order by c.tx, c.seq limit @Take",
            new { position.Tx, position.Seq, Take = limit + 1 }, tx, cancellationToken: ct))).ToList();
        var more = changes.Count > limit;
        if (more) changes = changes[..limit];

        Guid[] Ids(string entity) => changes.Where(c => c.Entity == entity && !c.Deleted).Select(c => c.Id).ToArray();
        // Scheduled articles whose time came since the last page: no write marks that moment, so readers get them here.
        var releaseFrom = since is null ? now : position.At;
        const string Released = "select a.id from articles a where @Reader and article_visible(a.status, a.published_at) and a.published_at > @ReleaseFrom";
        var sql = string.Join(";\n",
            ArticleRepository.EmbedSql(audience, "select unnest(@Articles)"),
            QuoteRepository.EmbedSql(audience, "select unnest(@Quotes)"),
            PersonRepository.EmbedSql("select unnest(@People)"),
            SourceRepository.EmbedSql("select unnest(@Sources)"),
            ArticleRepository.EmbedSql(Audience.Editor, Released),
            QuoteRepository.EmbedSql(Audience.Reader, $"select aq.quote_id from article_quotes aq where aq.article_id in ({Released})", visible: true));
        using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            Articles = Ids("article"),
            Quotes = Ids("quote"),
            People = Ids("person"),
            Sources = Ids("source"),
            Reader = reader,
            ReleaseFrom = releaseFrom,
        }, tx, cancellationToken: ct));
        var data = new Dictionary<(string, Guid), (int Version, object Data)>();
        foreach (var a in await grid.ReadAsync<ArticleRow>()) data[("article", a.Id)] = (a.Version, a.ToResponse());
        foreach (var q in await grid.ReadAsync<QuoteRow>()) data[("quote", q.Id)] = (q.Version, q.ToResponse());
        foreach (var p in await grid.ReadAsync<PersonRow>()) data[("person", p.Id)] = (p.Version, p.ToResponse());
        foreach (var s in await grid.ReadAsync<SourceRow>()) data[("source", s.Id)] = (s.Version, s.ToResponse());
        var released = (await grid.ReadAsync<ArticleRow>()).Select(a => ("article", a.Id, a.Version, (object)a.ToResponse()))
            .Concat((await grid.ReadAsync<QuoteRow>()).Select(q => ("quote", q.Id, q.Version, (object)q.ToResponse())))
            .ToList();
        await tx.CommitAsync(ct);

        var items = new List<SyncItem>();
        var seen = new HashSet<(string, Guid)>();
        foreach (var (type, id, version, value) in released)
            if (seen.Add((type, id)))
                items.Add(new SyncItem { Type = type, Id = id, Op = SyncOp.Upsert, Version = version, Data = value });
        foreach (var change in changes)
        {
            if (!seen.Add((change.Entity, change.Id))) continue;
            items.Add(data.TryGetValue((change.Entity, change.Id), out var found)
                ? new SyncItem { Type = change.Entity, Id = change.Id, Op = SyncOp.Upsert, Version = found.Version, Data = found.Data }
                // Deleted, or exists but readers may not see it (draft, scheduled, archived, a quote of nothing public).
                : new SyncItem { Type = change.Entity, Id = change.Id, Op = SyncOp.Delete, Version = change.Version });
        }

        var last = changes.Count > 0 ? changes[^1] : null;
        var next = new SyncPosition(last?.Tx ?? position.Tx, last?.Seq ?? position.Seq, DateTime.SpecifyKind(now, DateTimeKind.Utc));
        return (items, next, more);
    }
}
