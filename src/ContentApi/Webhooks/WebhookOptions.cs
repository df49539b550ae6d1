using System.ComponentModel.DataAnnotations;

namespace ContentApi.Webhooks;

/// <summary>Webhooks:* configuration.</summary>
public sealed class WebhookOptions
{
    /// <summary>Allows http and loopback, link-local and private targets: for tests and local development only.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The first retry waits this long; each further one twice as long (with jitter).</summary>
    [Range(0.01, 3600)]
    public double RetryBaseSeconds { get; set; } = 5;

    /// <summary>Tries before a delivery is dead-lettered.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How long a receiver has to answer.</summary>
    [Range(0.1, 60)]
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>How often each node looks for due deliveries.</summary>
    [Range(10, 60000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Deliveries one node claims at a time.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Whether this node runs the dispatcher (every node may; they never send the same delivery at once).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Days a delivered or dead-lettered delivery stays listed (and retryable) before it is deleted.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>Seconds between purges of deliveries older than RetentionDays.</summary>
    [Range(1, 86_400)]
    public int PurgeIntervalSeconds { get; set; } = 300;
}
