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

    // Keys found valid in the last hour, so a client that shares its address with a wrong-key flood (an office or a
    // carrier NAT) still gets its lookup when its cached answer expires. Only a successful lookup adds, so a flood
    // cannot fill it; it is bounded all the same.
    private readonly MemoryCache recent = new(new MemoryCacheOptions { SizeLimit = 10_000, CompactionPercentage = 0.25 });

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
        {
            cache.Set(cacheKey, found, Lifetime);
            recent.Set(cacheKey, true, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }
        return found;
    }

    /// <summary>Whether the key was found valid lately (its lookup may go ahead even from a client over its failure budget).</summary>
    public bool WasRecentlyValid(string key) => recent.TryGetValue(CacheKey(KeyRepository.Hash(key)), out _);

    public void Forget(byte[] hash)
    {
        cache.Remove(CacheKey(hash));
        unknown.Remove(CacheKey(hash));
        recent.Remove(CacheKey(hash));
    }

    public void Dispose()
    {
        unknown.Dispose();
        recent.Dispose();
    }

    private static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);
}
