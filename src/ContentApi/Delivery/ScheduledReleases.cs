using Dapper;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Delivery;

/// <summary>
/// Readers see a scheduled article by itself once its time comes (queries compare publishedAt with now()), but a
/// reader response cached just before that moment would hide it until it expires. This watcher evicts the output
/// cache when a release time has come, and only then, since every eviction costs each hot URL a miss. Writes poke it,
/// since they may schedule something sooner. Times are PostgreSQL's, the clock the readers' queries use.
/// </summary>
public sealed class ScheduledReleases(NpgsqlDataSource dataSource, IOutputCacheStore cache, IOptionsMonitor<DeliveryOptions> options,
    ILogger<ScheduledReleases> logger) : BackgroundService
{
    // Released: a release came since the last look. The watcher wakes at each release it sees coming, so this is how
    // it finds it; it also finds those it did not see coming (put in the database less than a look ahead).
    private const string Look = """
        select now() as Now,
          (select min(published_at) from articles where status = 'published' and published_at > now()) as Next,
          exists (select 1 from articles where status = 'published'
                  and published_at > cast(@Since as timestamptz) and published_at <= now()) as Released
        """;

    /// <summary>
    /// A read that began just before a release can store its answer just after the release's eviction; evicting again
    /// this much later clears it.
    /// </summary>
    private static readonly TimeSpan Stragglers = TimeSpan.FromSeconds(1);

    private volatile CancellationTokenSource poke = new();

    public void Poke() => poke.Cancel();

    private sealed record State(DateTime Now, DateTime? Next, bool Released);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Releases up to this time have had their evictions. Null before the first look: the node evicts once when it
        // starts listening for other nodes' writes (ContentEvictions), which covers what came before.
        DateTime? since = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var look = TimeSpan.FromSeconds(options.CurrentValue.ReleaseCheckSeconds);
            var wait = look;
            try
            {
                State state;
                await using (var conn = await dataSource.OpenConnectionAsync(stoppingToken))
                    state = await conn.QuerySingleAsync<State>(new CommandDefinition(Look, new { Since = since }, cancellationToken: stoppingToken));
                since = state.Now;
                if (state.Released)
                {
                    await EvictAsync(stoppingToken);
                    // Not past the next release, which the look after this one finds.
                    await Task.Delay(state.Next is { } soon && soon - state.Now < Stragglers ? soon - state.Now : Stragglers, stoppingToken);
                    await EvictAsync(stoppingToken);
                    continue;
                }
                // Wake at the next release: the look then finds it released.
                if (state.Next is { } next && next - state.Now < look)
                    wait = next - state.Now;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Nothing is lost: the next look finds any release since the last one that succeeded.
                logger.LogDebug(e, "Could not look for scheduled releases; retrying later.");
                wait = TimeSpan.FromSeconds(5);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, poke.Token);
            try
            {
                await Task.Delay(wait, linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Poked: a write may have scheduled something sooner. Look again.
                // Not disposed: a concurrent Poke() may still hold the old source, and cancelling a disposed one throws.
                Interlocked.Exchange(ref poke, new CancellationTokenSource());
            }
        }
    }

    private ValueTask EvictAsync(CancellationToken ct) => cache.EvictByTagAsync(ReaderOutputCachePolicy.ContentTag, ct);
}
