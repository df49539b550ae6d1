using ContentApi.Keys;
using Microsoft.Extensions.Caching.Memory;

namespace ContentApi.Auth;

/// <summary>
/// Key lookups cached briefly so authentication costs no database round trip on the hot path. A revoke evicts
/// at once on this node; other nodes notice within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(KeyRepository keys, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<(Guid Id, KeyRole Role, string Name)?> FindAsync(string key, CancellationToken ct)
    {
        var hash = KeyRepository.Hash(key);
        var cacheKey = CacheKey(hash);
        if (cache.TryGetValue(cacheKey, out (Guid Id, KeyRole Role, string Name)? found))
            return found;
        found = await keys.FindAsync(hash, ct);
        // Unknown keys are cached too (shorter), so guessing keys cannot hammer the database.
        cache.Set(cacheKey, found, found is null ? TimeSpan.FromSeconds(5) : Lifetime);
        return found;
    }

    public void Forget(byte[] hash) => cache.Remove(CacheKey(hash));

    private static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);
}
