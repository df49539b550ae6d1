using System.ComponentModel.DataAnnotations;

namespace ContentApi.Hosting;

/// <summary>Bounds on what one request may cost, so nothing unbounded reaches the database.</summary>
public sealed class RequestLimitOptions
{
    [Range(1024, 100 * 1024 * 1024)] public long MaxBodyBytes { get; set; } = 1024 * 1024;
    [Range(256, 65536)] public int MaxQueryStringLength { get; set; } = 4096;
    /// <summary>Bytes of all request headers together (names and values); more is a 431 problem.</summary>
    [Range(4096, 1024 * 1024)] public int MaxHeaderBytes { get; set; } = 32 * 1024;
    /// <summary>How many request headers one request may carry; more is a 431 problem.</summary>
    [Range(16, 1000)] public int MaxHeaderCount { get; set; } = 100;
    /// <summary>Seconds a client may take to send its headers (slow-loris protection).</summary>
    [Range(1, 300)] public int HeadersTimeoutSeconds { get; set; } = 15;
    /// <summary>Minimum upload rate in bytes per second after a grace period; slower clients are cut off.</summary>
    [Range(1, 1_000_000)] public int MinBodyBytesPerSecond { get; set; } = 240;
}
