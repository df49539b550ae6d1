using System.Diagnostics.Metrics;

namespace ContentApi.Observability;

/// <summary>
/// The project's own instruments, on the meter "ContentApi" that /metrics exports (<see cref="MetricsEndpoint"/>). Any
/// room may add to them; a new instrument belongs here, named contentapi.*, so the list of what is measured is one file.
/// </summary>
public static class ContentApiMetrics
{
    public const string MeterName = "ContentApi";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Reader GETs answered from the output cache.</summary>
    public static readonly Counter<long> OutputCacheHits =
        Meter.CreateCounter<long>("contentapi.output_cache.hits", "{response}", "Reader GETs answered from the output cache");

    /// <summary>Requests refused with 429 by a rate limit, tagged with the policy (read, write).</summary>
    public static readonly Counter<long> RateLimitRejections =
        Meter.CreateCounter<long>("contentapi.rate_limit.rejections", "{request}", "Requests refused with 429 by a rate limit");

    /// <summary>Sync feed pages served, tagged has_more.</summary>
    public static readonly Counter<long> SyncPages =
        Meter.CreateCounter<long>("contentapi.sync.pages", "{page}", "Sync feed pages served");

    /// <summary>Failed authentications, tagged outcome: unknown_key (looked up or remembered), throttled (429, no lookup).</summary>
    public static readonly Counter<long> FailedAuthentications =
        Meter.CreateCounter<long>("contentapi.auth.failures", "{request}", "Failed authentications by outcome");

    /// <summary>Idempotency keys deleted by the background purge.</summary>
    public static readonly Counter<long> IdempotencyKeysPurged =
        Meter.CreateCounter<long>("contentapi.idempotency.keys_purged", "{key}", "Idempotency keys deleted by the background purge");
}
