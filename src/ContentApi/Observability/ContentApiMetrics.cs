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

    /// <summary>Webhook delivery attempts, tagged outcome: delivered, retry, dead (last try failed), gone (410, subscription disabled).</summary>
    public static readonly Counter<long> WebhookAttempts =
        Meter.CreateCounter<long>("contentapi.webhook.attempts", "{attempt}", "Webhook delivery attempts by outcome");

    /// <summary>From the commit of a change to the delivery of its webhook, retries included.</summary>
    public static readonly Histogram<double> WebhookDeliveryLag =
        Meter.CreateHistogram("contentapi.webhook.delivery_lag", "s", "From a change's commit to the delivery of its webhook", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400] });

    /// <summary>
    /// How long the oldest due delivery of an active subscription has waited (0 when none): grows while a receiver is down,
    /// a resource's queue is held by a retrying event, or no dispatcher runs. Recorded by each dispatcher poll, tagged db.
    /// </summary>
    public static readonly Gauge<double> WebhookOutboxLag =
        Meter.CreateGauge<double>("contentapi.webhook.outbox_lag", "s", "Age of the oldest due webhook delivery not yet sent");

    /// <summary>Delivered and dead-lettered webhook deliveries deleted after Webhooks:RetentionDays.</summary>
    public static readonly Counter<long> WebhookDeliveriesPurged =
        Meter.CreateCounter<long>("contentapi.webhook.deliveries_purged", "{delivery}", "Webhook deliveries deleted after the retention period");
}
