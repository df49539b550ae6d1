using Dapper;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Delivery;

/// <summary>
/// Readers see a scheduled article by itself once its time comes (queries compare publishedAt with now()), but a
/// reader response cached just before that moment would hide it until it expires. This watcher evicts the output
/// cache at each release time, and only then: evicting on every look would cost each hot URL a miss a minute. Writes
/// poke it, since they may schedule something sooner.
/// </summary>
public sealed class ScheduledReleases(NpgsqlDataSource dataSource, IOutputCacheStore cache, IOptionsMonitor<DeliveryOptions> options,
    ILogger<ScheduledReleases> logger) : BackgroundService
{
    private const string NextRelease = "select min(published_at) from articles where status = 'published' and published_at > now()";
    private volatile CancellationTokenSource poke = new();

    public void Poke() => poke.Cancel();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var look = TimeSpan.FromSeconds(options.CurrentValue.ReleaseCheckSeconds);
            var wait = look;
            // Evict when the wait ends at a release, or when the next one could not be read (it may have come meanwhile).
            var evict = false;
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                if (await conn.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(NextRelease, cancellationToken: stoppingToken)) is { } next)
                {
                    var until = next - DateTime.UtcNow;
                    evict = until <= look;
                    wait = evict ? until : look;
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(e, "Could not read the next release time; retrying later.");
                wait = TimeSpan.FromSeconds(5);
                evict = true;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, poke.Token);
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, linked.Token);
                if (evict)
                    await cache.EvictByTagAsync(ReaderOutputCachePolicy.ContentTag, stoppingToken);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Poked: a write may have scheduled something sooner. Look again.
                // Not disposed: a concurrent Poke() may still hold the old source, and cancelling a disposed one throws.
                Interlocked.Exchange(ref poke, new CancellationTokenSource());
            }
        }
    }
}
