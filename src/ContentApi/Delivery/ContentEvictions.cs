using ContentApi.Infrastructure;
using ContentApi.Writes;
using Dapper;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace ContentApi.Delivery;

/// <summary>
/// A write on any node evicts the cached reader answers of every node and wakes every node's scheduled-release
/// watcher: the writing node evicts its own store and sends a PostgreSQL NOTIFY, and each node LISTENs on a dedicated,
/// unpooled connection (pooled connections never change session state, see Database.ConfigureDataSource).
/// </summary>
public sealed class ContentEvictions(
    IOutputCacheStore store, ScheduledReleases releases, NpgsqlDataSource primary, ReadDataSource reads,
    IConfiguration configuration, ILogger<ContentEvictions> logger) : BackgroundService
{
    private const string Channel = "contentapi_writes";
    private const string Notify = "select pg_notify(@Channel, @Node)";

    // A standby replays a commit a moment after the primary; a reader answer cached from a standby in that moment
    // would show the old content until it expires, so with standbys the cache is evicted once more after this.
    private static readonly TimeSpan ReplicaLag = TimeSpan.FromSeconds(1);

    private readonly string node = Guid.NewGuid().ToString("N");

    // Redis is one store for all nodes: the writer's eviction already reached every node's readers.
    private readonly bool shared = store is ResilientOutputCacheStore;

    /// <summary>
    /// The NOTIFY for a write about to run: a write that records a change sends it in its own transaction (see
    /// <see cref="CommitNotice"/>), which saves a round trip and a transaction of its own after every write.
    /// </summary>
    public CommitNotice Notice() => new(Channel, node);

    /// <summary>
    /// After a successful write: evict here, tell the other nodes unless the write's transaction already did, and wake
    /// the release watcher.
    /// </summary>
    public async Task AfterWriteAsync(bool notified = false)
    {
        await EvictAsync();
        releases.Poke();
        if (notified) return;
        try
        {
            await using var conn = await primary.OpenConnectionAsync();
            await conn.ExecuteAsync(Notify, new { Channel, Node = node });
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The write is committed and acknowledged; other nodes' entries then expire by themselves.
            logger.LogWarning(e, "Could not notify the other nodes of a write.");
        }
    }

    private async Task EvictAsync()
    {
        await store.EvictByTagAsync(ReaderOutputCachePolicy.ContentTag, CancellationToken.None);
        if (reads.Replicas is not null)
            _ = Task.Delay(ReplicaLag).ContinueWith(_ => store.EvictByTagAsync(ReaderOutputCachePolicy.ContentTag, CancellationToken.None).AsTask(), TaskScheduler.Default);
    }

    private async Task OnOtherNodesWriteAsync()
    {
        try
        {
            if (!shared) await EvictAsync();
            releases.Poke();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not evict after another node's write.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Content"))
        {
            Pooling = false,
            KeepAlive = 10, // a primary that vanished without closing the socket is noticed, and the loop reconnects
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (e.Payload != node) _ = OnOtherNodesWriteAsync();
                };
                await using (var listen = new NpgsqlCommand($"listen {Channel}", conn))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Writes while this node was not listening went unheard: evict once now.
                await OnOtherNodesWriteAsync();
                while (true)
                    await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Listening for other nodes' writes failed; retrying.");
                try { await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
