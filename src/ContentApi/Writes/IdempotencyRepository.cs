using Dapper;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>Stored first responses of POSTs sent with an Idempotency-Key, per principal, for 24 hours.</summary>
public sealed class IdempotencyRepository(NpgsqlDataSource dataSource)
{
    private const string Claim = """
        delete from idempotency_keys where principal = @Principal and key = @Key
          and (created_at < now() - interval '24 hours' or (status is null and created_at < now() - interval '10 seconds'));
        insert into idempotency_keys (principal, key, request_hash) values (@Principal, @Key, @Hash)
        on conflict do nothing
        returning true
        """;

    private const string Find = "select request_hash, status, location, body from idempotency_keys where principal = @Principal and key = @Key";

    private const string Complete = "update idempotency_keys set status = @Status, location = @Location, body = @Body where principal = @Principal and key = @Key";

    private const string Release = "delete from idempotency_keys where principal = @Principal and key = @Key and status is null";

    /// <summary>What a create with a key sends before it (claiming the key) and after it (storing the answer); the benchmark's ceilings run these texts.</summary>
    public static (string Claim, string Complete) Statements => (Claim, Complete);

    public sealed record Stored(byte[] RequestHash, int? Status, string? Location, string? Body);

    /// <summary>True when this request now owns the key; otherwise what is stored under it (null if it just vanished).</summary>
    public async Task<(bool Claimed, Stored? Existing)> ClaimAsync(string principal, string key, byte[] hash, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var args = new { Principal = principal, Key = key, Hash = hash };
        // Prepared (PreparedCommand): the key has no control characters (IdempotencyFilter), the hash is bytes.
        await using (var claim = await PreparedCommand.CreateAsync(conn, null, Claim, ct, args))
            if (await claim.ExecuteScalarAsync(ct) is true)
                return (true, null);
        return (false, await conn.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(Find, args, cancellationToken: ct)));
    }

    public async Task CompleteAsync(string principal, string key, int status, string location, string body, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = await PreparedCommand.CreateAsync(conn, null, Complete, ct, new { Principal = principal, Key = key, Status = status, Location = location, Body = body });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task ReleaseAsync(string principal, string key)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition(Release, new { Principal = principal, Key = key }));
    }
}
