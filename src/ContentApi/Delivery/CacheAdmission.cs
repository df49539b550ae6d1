using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>
/// Which reader answers are worth storing: a URL asked again soon after its previous request. Over a large archive most
/// URLs are asked once, or again only by chance long after, and storing those only costs (buffering, the store's
/// bookkeeping, evictions, a short-lived 12 KB object for the GC); a hot URL is asked again within a second and is stored
/// on its second request. A fixed table of slots remembers each recent URL's fingerprint, the second of its last
/// request and how many requests came in a row each within <see cref="DeliveryOptions.OutputCacheAdmitSeconds"/> of the
/// one before, so memory stays the same whatever the traffic; a collision only delays a store.
/// </summary>
public sealed class CacheAdmission(IOptionsMonitor<DeliveryOptions> options)
{
    private const int Slots = 1 << 16;
    private readonly long[] seen = new long[Slots];

    /// <summary>
    /// Whether the answer to this URL may be looked up and stored now. Every call counts as a request for it; the
    /// output cache asks once per request, before it starts.
    /// </summary>
    public bool Admits(PathString path, QueryString query)
    {
        var o = options.CurrentValue;
        if (o.OutputCacheAfterRequests <= 1) return true;
        var hash = (uint)HashCode.Combine(path.Value, query.Value);
        var now = (ushort)(Environment.TickCount64 / 1000);
        ref var slot = ref seen[hash & (Slots - 1)];
        var previous = Volatile.Read(ref slot);
        // Layout: fingerprint (32 bits) | second of the last request (16, wrapping) | requests in a row (16).
        var count = (uint)previous & 0xFFFF;
        var last = (ushort)(previous >> 16);
        if ((uint)(previous >> 32) == hash && (ushort)(now - last) <= o.OutputCacheAdmitSeconds)
            count = Math.Min(count + 1, 0xFFFF);
        else
            count = 1;
        var admitted = count >= o.OutputCacheAfterRequests;
        // A hot URL's slot is written once a second at most, not on every hit.
        if (!(admitted && last == now && (uint)(previous >> 32) == hash))
            Volatile.Write(ref slot, ((long)hash << 32) | ((long)now << 16) | count);
        return admitted;
    }
}
