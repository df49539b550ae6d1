using ContentApi.Keys;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ContentApi.Auth;

/// <summary>
/// Key lookups cached briefly so authentication costs no database round trip on the hot path. A revoke evicts
/// at once on this node; other nodes notice within <see cref="Lifetime"/>. Unknown keys are remembered apart, in a
/// cache of bounded size, so a flood of distinct wrong keys cannot grow memory.
/// </summary>
public sealed class ApiKeyCache(KeyRepository keys, IMemoryCache cache, IOptions<FailedAuthOptions> options) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly MemoryCache unknown = new(new MemoryCacheOptions { SizeLimit = options.Value.NegativeCacheSize, CompactionPercentage = 0.25 });

    /// <summary>True when the key's answer is cached: found, or null for a key known to be wrong.</summary>
    public bool TryGetCached(string key, out (Guid Id, KeyRole Role, string Name)? found)
    {
        var cacheKey = CacheKey(KeyRepository.Hash(key));
        if (cache.TryGetValue(cacheKey, out found))
            return true;
        found = null;
        return unknown.TryGetValue(cacheKey, out _);
    }

    public async Task<(Guid Id, KeyRole Role, string Name)?> FindAsync(string key, CancellationToken ct)
    {
        var hash = KeyRepository.Hash(key);
        var cacheKey = CacheKey(hash);
        if (cache.TryGetValue(cacheKey, out (Guid Id, KeyRole Role, string Name)? found))
            return found;
        found = await keys.FindAsync(hash, ct);
        // Unknown keys are cached too (shorter, bounded), so repeating a wrong key cannot hammer the database.
        if (found is null)
            unknown.Set(cacheKey, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(5) });
        else
            cache.Set(cacheKey, found, Lifetime);
        return found;
    }

    public void Forget(byte[] hash)
    {
        cache.Remove(CacheKey(hash));
        unknown.Remove(CacheKey(hash));
    }

    public void Dispose() => unknown.Dispose();

    private static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);
}
