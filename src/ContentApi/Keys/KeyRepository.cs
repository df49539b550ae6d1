using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Keys;

/// <summary>API keys: 256 random bits, shown once, stored as SHA-256 (a fast hash is enough for a random secret of this size).</summary>
public sealed class KeyRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, role, prefix, created_at, revoked_at";

    private const string Insert = $"""
        insert into api_keys (id, name, role, prefix, key_hash) values (@Id, @Name, @Role, @Prefix, @Hash)
        returning {Columns}
        """;

    // Newest first; the keyset is the UUID v7 id, which orders like created_at.
    private const string List = $"select {Columns} from api_keys where @AfterId is null or id < @AfterId order by id desc limit @Take";

    private const string Revoke = "update api_keys set revoked_at = now() where id = @Id and revoked_at is null returning key_hash";

    private const string ByHash = "select id, role, key_hash, name from api_keys where key_hash = @Hash and revoked_at is null";

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public async Task<CreatedKeyResponse> CreateAsync(KeyRequest request, CancellationToken ct)
    {
        var secret = "cak_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<KeyRow>(new CommandDefinition(Insert, new
        {
            Id = Guid.CreateVersion7(),
            request.Name,
            Role = Wire<KeyRole>.Name(request.Role),
            Prefix = secret[..8],
            Hash = Hash(secret),
        }, cancellationToken: ct));
        return new CreatedKeyResponse { Id = row.Id, Name = row.Name, Role = request.Role, Key = secret, CreatedAt = row.CreatedAt };
    }

    /// <summary>One page of keys after <paramref name="afterId"/>, and whether more follow.</summary>
    public async Task<(IReadOnlyList<KeyResponse> Items, bool More)> ListAsync(Guid? afterId, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<KeyRow>(new CommandDefinition(List, new { AfterId = afterId, Take = limit + 1 }, cancellationToken: ct)))
            .Select(r => r.ToResponse()).ToList();
        return rows.Count > limit ? (rows[..limit], true) : (rows, false);
    }

    /// <summary>Returns the revoked key's hash (to drop it from caches), or null when there was no live key with that id.</summary>
    public async Task<byte[]?> RevokeAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(Revoke, new { Id = id }, cancellationToken: ct));
    }

    /// <summary>The live key with this hash: (id, role), or null.</summary>
    public async Task<(Guid Id, KeyRole Role, string Name)?> FindAsync(byte[] hash, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Role, byte[] KeyHash, string Name)?>(new CommandDefinition(ByHash, new { Hash = hash }, cancellationToken: ct));
        // The index found the row; compare the whole hash in constant time anyway.
        if (row is not { } found || !CryptographicOperations.FixedTimeEquals(found.KeyHash, hash))
            return null;
        return (found.Id, Wire<KeyRole>.Parse(found.Role), found.Name);
    }
}
