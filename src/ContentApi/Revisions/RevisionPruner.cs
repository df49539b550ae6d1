using Microsoft.Extensions.Options;

namespace ContentApi.Revisions;

/// <summary>
/// Keeps at most Revisions:KeepPerItem revisions per item, deleting the oldest in the background so writes never
/// wait for it. Off (keeps everything) unless KeepPerItem is set.
/// </summary>
public sealed class RevisionPruner(RevisionRepository revisions, IOptions<RevisionOptions> options, ILogger<RevisionPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.KeepPerItem is not { } keep) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds));
        do
        {
            try
            {
                // Up to 1,000 items per round; a backlog drains over the next rounds without one long transaction.
                while (await revisions.PruneAsync(keep, stoppingToken) > 0 && !stoppingToken.IsCancellationRequested) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning revisions failed; trying again in {Seconds} s.", options.Value.PruneIntervalSeconds);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
