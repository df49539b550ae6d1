using System.ComponentModel.DataAnnotations;

namespace ContentApi.Delivery;

public sealed class DeliveryOptions
{
    /// <summary>How long a reader response may be served from this node's output cache. Writes evict at once.</summary>
    [Range(0, 3600)]
    public int OutputCacheSeconds { get; set; } = 10;

    /// <summary>
    /// Most bytes of response bodies the output cache keeps (ASP.NET Core's default is 100 MB): hot sets fit in a few
    /// MB, while random reads over a large archive fill any limit, and the process grows with it.
    /// </summary>
    [Range(1, 4096)]
    public int OutputCacheMegabytes { get; set; } = 32;

    /// <summary>
    /// The request for a URL, within <see cref="OutputCacheSeconds"/>, whose answer is stored: 2 (the default) skips URLs
    /// asked once, which over a large archive are most of them; 1 stores every answer.
    /// </summary>
    [Range(1, 2)]
    public int OutputCacheAfterRequests { get; set; } = 2;
}
