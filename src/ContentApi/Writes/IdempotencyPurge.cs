using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// Deletes expired idempotency keys (older than 24 hours, or claims abandoned for an hour) in batches, and the oldest
/// completed ones beyond <see cref="IdempotencyOptions.MaxKeys"/>; the claim only ever replaced an expired key it met again.
/// </summary>
public sealed class IdempotencyPurge(NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options, ILogger<IdempotencyPurge> logger)
    : BackgroundService
{
    // Batches by address off the created_at index: each statement is short, and concurrent claims are never blocked for long.
    private const string Expired = """
        delete from idempotency_keys where ctid = any(array(
          select ctid from idempotency_keys
          where created_at < now() - interval '24 hours' or (status is null and created_at < now() - interval '1 hour')
          order by created_at limit @Batch))
        """;

    private const string Excess = """
        select greatest(0, (select count(*) from (select 1 from idempotency_keys limit @Max + 100000) x) - @Max)
        """;

    private const string Oldest = """
        delete from idempotency_keys where ctid = any(array(
          select ctid from idempotency_keys where status is not null order by created_at limit @Batch))
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.PurgeIntervalSeconds));
        do
        {
            try
            {
                var deleted = await PurgeAsync(o, stoppingToken);
                if (deleted > 0)
                {
                    Observability.ContentApiMetrics.IdempotencyKeysPurged.Add(deleted);
                    logger.LogInformation("Purged {Count} idempotency keys", deleted);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Idempotency key purge failed; trying again in {Seconds} s", o.PurgeIntervalSeconds);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One purge: expired keys, then any excess over the cap, batch by batch. Returns the rows deleted.</summary>
    public async Task<long> PurgeAsync(IdempotencyOptions o, CancellationToken ct)
    {
        long total = 0;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        int n;
        do
        {
            n = await conn.ExecuteAsync(new CommandDefinition(Expired, new { Batch = o.PurgeBatchSize }, cancellationToken: ct));
            total += n;
        } while (n == o.PurgeBatchSize);

        var excess = await conn.ExecuteScalarAsync<long>(new CommandDefinition(Excess, new { Max = o.MaxKeys }, cancellationToken: ct));
        while (excess > 0)
        {
            n = await conn.ExecuteAsync(new CommandDefinition(Oldest, new { Batch = (int)Math.Min(excess, o.PurgeBatchSize) }, cancellationToken: ct));
            if (n == 0) break;
            total += n;
            excess -= n;
        }
        return total;
    }
}
