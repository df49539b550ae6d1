using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// A change made by one statement that returns the changed row, recorded in the same transaction, for resources readers
/// see as editors do (<see cref="ChangeRecorder.SameForReaders"/>).
/// </summary>
public static class RecordedWrite
{
    /// <summary>Runs <paramref name="sql"/> and records the row it returns as the new version; null when no row matched.</summary>
    public static async Task<T?> RunAsync<TRow, T>(NpgsqlDataSource dataSource, string sql, object args, Func<TRow, T> map,
        string entity, string op, Actor actor, CancellationToken ct) where T : class, IVersioned
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        if (row is null) return null;
        var changed = map(row);
        await ChangeRecorder.RecordAsync(conn, tx, entity, ChangeRecorder.SameForReaders, changed.Id, changed.Version, op, changed, actor, ct);
        await tx.CommitAsync(ct);
        return changed;
    }
}
