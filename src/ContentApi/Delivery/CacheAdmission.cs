using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>
/// Which reader answers are worth storing: a URL asked for the second time within the cache duration. Over a large
/// archive most URLs are asked once, and storing those only costs (buffering, the store's bookkeeping, evictions);
/// a hot URL is stored on its second request. A fixed table of slots remembers recent first requests (a fingerprint
/// and the second it came), so memory stays the same whatever the traffic; a collision only delays a store.
/// </summary>
public sealed class CacheAdmission(IOptionsMonitor<DeliveryOptions> options)
{
    private const int Slots = 1 << 16;
    private readonly long[] seen = new long[Slots];

    /// <summary>Whether the answer to this URL may be stored now; a first request is remembered and answers false.</summary>
    public bool Admits(PathString path, QueryString query)
    {
        var o = options.CurrentValue;
        if (o.OutputCacheAfterRequests <= 1) return true;
        var hash = (uint)HashCode.Combine(path.Value, query.Value);
        var now = (uint)(Environment.TickCount64 / 1000);
        ref var slot = ref seen[hash & (Slots - 1)];
        var previous = Volatile.Read(ref slot);
        if ((uint)(previous >> 32) == hash && now - (uint)previous <= (uint)o.OutputCacheSeconds)
            return true;
        Volatile.Write(ref slot, ((long)hash << 32) | now);
        return false;
    }
}
