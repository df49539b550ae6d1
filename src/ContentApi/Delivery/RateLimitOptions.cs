using System.ComponentModel.DataAnnotations;

namespace ContentApi.Delivery;

/// <summary>Token buckets per API key (per IP for anonymous callers), one for reads and one for writes.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;
    [Range(1, 1_000_000)] public int ReadsPerSecond { get; set; } = 50;
    [Range(1, 1_000_000)] public int ReadBurst { get; set; } = 200;
    [Range(1, 1_000_000)] public int WritesPerSecond { get; set; } = 10;
    [Range(1, 1_000_000)] public int WriteBurst { get; set; } = 50;
}
