using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// The delete protocol of people, sources and quotes, in one transaction: lock the row, check the version the
/// client read, refuse while anything still refers to it (naming what), then delete. The foreign keys stay the
/// last line of defence (a concurrent insert of a reference still ends as 409 through the exception handler).
/// </summary>
public static class GuardedDelete
{
    /// <summary>
    /// versionSql selects the row's version by @Id; usagesSql selects (type, id) of what still refers to @Id; deleteSql
    /// deletes @Id at @Expected. <paramref name="beforeDelete"/> runs in the transaction just before the delete (the revision).
    /// </summary>
    public static async Task<DeleteResult> RunAsync(NpgsqlDataSource dataSource, string versionSql, string usagesSql, string deleteSql,
        Guid id, int expected, CancellationToken ct, Func<NpgsqlConnection, NpgsqlTransaction, Task>? beforeDelete = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(versionSql + " for update", new { Id = id }, tx, cancellationToken: ct));
        if (current is null) return DeleteResult.NotFound;
        if (current != expected) return new DeleteResult(false, current, []);
        var users = (await conn.QueryAsync<Usage>(new CommandDefinition(usagesSql, new { Id = id }, tx, cancellationToken: ct))).ToList();
        if (users.Count > 0) return new DeleteResult(false, current, users);
        if (beforeDelete is not null) await beforeDelete(conn, tx);
        await conn.ExecuteAsync(new CommandDefinition(deleteSql, new { Id = id, Expected = expected }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new DeleteResult(true, current, []);
    }

    /// <summary>The row's current version, or null when it does not exist.</summary>
    public static async Task<int?> VersionAsync(NpgsqlDataSource dataSource, string versionSql, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(versionSql, new { Id = id }, cancellationToken: ct));
    }
}
