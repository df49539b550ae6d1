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
    /// The request for a URL whose answer is stored, counting requests that each came within
    /// <see cref="OutputCacheAdmitSeconds"/> of the one before: 2 (the default) skips URLs asked once, which over a large
    /// archive are most of them; 1 stores every answer.
    /// </summary>
    [Range(1, 8)]
    public int OutputCacheAfterRequests { get; set; } = 2;

    /// <summary>
    /// How soon a URL must be asked again to count towards <see cref="OutputCacheAfterRequests"/>. Short, so that URLs
    /// asked again only by chance (random reads over a large archive) are not stored: their answer would leave the cache
    /// before anyone asks for it again. A URL asked that soon is asked many times within <see cref="OutputCacheSeconds"/>.
    /// Any URL asked within <see cref="OutputCacheSeconds"/> is still looked up.
    /// </summary>
    [Range(1, 3600)]
    public int OutputCacheAdmitSeconds { get; set; } = 2;

    /// <summary>
    /// Longest time between two looks at the scheduled releases (<see cref="ScheduledReleases"/>); writes make it look at
    /// once. A release it sees coming empties the cache at its time; one it did not see coming (put straight in the
    /// database less than this ahead) empties it at the next look.
    /// </summary>
    [Range(1, 3600)]
    public int ReleaseCheckSeconds { get; set; } = 60;
}
