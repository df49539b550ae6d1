using System.ComponentModel.DataAnnotations;

namespace ContentApi.Writes;

/// <summary>Housekeeping of stored idempotent responses, configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    /// <summary>Seconds between purges of expired keys.</summary>
    [Range(1, 86_400)] public int PurgeIntervalSeconds { get; set; } = 300;
    /// <summary>Rows deleted per statement, so a purge never holds many row locks or one long transaction.</summary>
    [Range(1, 100_000)] public int PurgeBatchSize { get; set; } = 1000;
    /// <summary>
    /// The most stored keys kept: under a flood of distinct keys the oldest completed ones go before their 24 hours are
    /// up (their retries then run again as new requests), so the table's size stays bounded.
    /// </summary>
    [Range(1, 100_000_000)] public int MaxKeys { get; set; } = 1_000_000;
}
