using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>
/// Which reader requests meet the output cache, and whose answers are worth storing. Over a large archive most URLs are
/// asked once, or again only by chance long after, and storing those only costs (buffering, the store's bookkeeping,
/// evictions, a short-lived copy of the answer for the GC): an answer is stored when its URL is asked again soon after its
/// previous request (<see cref="DeliveryOptions.OutputCacheAdmitSeconds"/>), so a hot URL is stored on its second
/// request. A URL asked within <see cref="DeliveryOptions.OutputCacheSeconds"/> may be stored, so it is looked up; one
/// not asked that recently cannot be, and skips the cache altogether. A fixed table of slots remembers each recent URL's
/// fingerprint, the second of its last request and how many requests came in a row each within the admit time of the
/// one before, so memory stays the same whatever the traffic; a collision only delays a store or costs one lookup.
/// </summary>
public sealed class CacheAdmission(IOptionsMonitor<DeliveryOptions> options)
{
    private const int Slots = 1 << 16;
    /// <summary>Marks a request whose answer may be stored (a feature: Kestrel keeps the slot between requests, no allocation).</summary>
    private sealed class StoreMark
    {
        public static readonly StoreMark Instance = new();
    }

    private readonly long[] seen = new long[Slots];

    /// <summary>
    /// Whether this request meets the output cache (a lookup); when its answer may also be stored, the request is marked
    /// for <see cref="Stores"/>. Every call counts as a request for the URL: the pipeline asks once per request.
    /// </summary>
    public bool Admits(HttpContext http)
    {
        var o = options.CurrentValue;
        if (o.OutputCacheAfterRequests <= 1)
        {
            http.Features.Set(StoreMark.Instance);
            return true;
        }
        var hash = (uint)HashCode.Combine(http.Request.Path.Value, http.Request.QueryString.Value);
        ref var slot = ref seen[hash & (Slots - 1)];
        var previous = Volatile.Read(ref slot);
        // The clock after the slot: a second read before it could be older than one another request has just written,
        // and a hot URL would then look 65,535 s old, skip the cache and start its count again.
        var now = (ushort)(Environment.TickCount64 / 1000);
        // Layout: fingerprint (32 bits) | second of the last request (16, wrapping) | requests in a row (16).
        var same = (uint)(previous >> 32) == hash;
        var last = (ushort)(previous >> 16);
        var since = (ushort)(now - last);
        var count = same && since <= o.OutputCacheAdmitSeconds ? Math.Min(((uint)previous & 0xFFFF) + 1, 0xFFFF) : 1;
        var store = count >= o.OutputCacheAfterRequests;
        // A hot URL's slot is written once a second at most, not on every hit.
        if (!(same && store && since == 0))
            Volatile.Write(ref slot, ((long)hash << 32) | ((long)now << 16) | count);
        if (store)
            http.Features.Set(StoreMark.Instance);
        return store || (same && since <= o.OutputCacheSeconds);
    }

    /// <summary>Whether <see cref="Admits"/> let this request's answer be stored.</summary>
    public static bool Stores(HttpContext http) => http.Features.Get<StoreMark>() is not null;
}
