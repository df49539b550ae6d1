using Dapper;
using Npgsql;

namespace ContentApi.Revisions;

/// <summary>Reads item histories; revisions are written by <see cref="Writes.ChangeRecorder"/> inside each change.</summary>
public sealed class RevisionRepository(NpgsqlDataSource dataSource)
{
    private const string Summary = "r.version, r.op, r.changed_at, r.changed_by_id, r.changed_by_name";

    // Newest first along the primary key (entity, id, version), read backwards: no sort, no scan of other items.
    private const string ListSql = $"""
        select {Summary} from revisions r
        where r.entity = @Entity and r.id = @Id and r.version < @Before
        order by r.version desc limit @Take
        """;

    private const string OneSql = $"select {Summary}, r.state::text as state from revisions r where r.entity = @Entity and r.id = @Id and r.version = @Version";

    private const string LastSql = $"""
        select {Summary}, r.state::text as state from revisions r
        where r.entity = @Entity and r.id = @Id order by r.version desc limit 1
        """;

    // Keeps the newest @Keep revisions of each item; the oldest go. The primary key finds each item's cut-off.
    private const string PruneSql = """
        with over as (
          select entity, id, max(version) - @Keep as cut from revisions
          group by entity, id having count(*) > @Keep
          limit 1000)
        delete from revisions r using over o
        where r.entity = o.entity and r.id = o.id and r.version <= o.cut
        """;

    public async Task<List<RevisionRow>> ListAsync(string entity, Guid id, int before, int take, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<RevisionRow>(new CommandDefinition(ListSql,
            new { Entity = entity, Id = id, Before = before, Take = take }, cancellationToken: ct))).ToList();
    }

    public async Task<RevisionRow?> GetAsync(string entity, Guid id, int version, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(OneSql,
            new { Entity = entity, Id = id, Version = version }, cancellationToken: ct));
    }

    public async Task<RevisionRow?> LastAsync(string entity, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(LastSql, new { Entity = entity, Id = id }, cancellationToken: ct));
    }

    /// <summary>Deletes revisions beyond the newest <paramref name="keep"/> of up to 1,000 items; the number deleted.</summary>
    public async Task<int> PruneAsync(int keep, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(PruneSql, new { Keep = keep }, cancellationToken: ct));
    }
}
