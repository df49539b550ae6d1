using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// Writes a change's revision inside the transaction of the change itself, so neither can commit without the other.
/// The state is the resource as an editor's GET returns it, serialized with the response rules.
/// </summary>
public static class ChangeRecorder
{
    private const string Insert = """
        insert into revisions (entity, id, version, op, state, changed_by_id, changed_by_name)
        select @Entity, x.id, x.version, @Op, x.state::jsonb, @KeyId, @Name
        from unnest(@Ids, @Versions, @States) as x(id, version, state)
        """;

    /// <summary>One revision: <paramref name="version"/> is the version the change produced (for a delete, the last one plus one).</summary>
    public static Task RecordAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, string entity, Guid id, int version, string op,
        T state, Actor actor, CancellationToken ct) =>
        RecordManyAsync(conn, tx, entity, [(id, version, Serialize(state))], op, actor, ct);

    /// <summary>Revisions of several items of one type in one statement (items whose links a change touched).</summary>
    public static async Task RecordManyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string entity,
        IReadOnlyCollection<(Guid Id, int Version, string State)> items, string op, Actor actor, CancellationToken ct)
    {
        if (items.Count == 0) return;
        await conn.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Entity = entity,
            Op = op,
            actor.KeyId,
            actor.Name,
            Ids = items.Select(i => i.Id).ToArray(),
            Versions = items.Select(i => i.Version).ToArray(),
            States = items.Select(i => i.State).ToArray(),
        }, tx, cancellationToken: ct));
    }

    public static string Serialize<T>(T state) => System.Text.Json.JsonSerializer.Serialize(state, ContentJson.Writing);
}
