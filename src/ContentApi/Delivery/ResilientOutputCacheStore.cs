using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;

namespace ContentApi.Delivery;

/// <summary>
/// The shared (Redis) output cache, made harmless when it fails: the Redis store throws on every error, so here an
/// error is a miss, a store or an eviction deferred, and a short breaker skips the store for a while so requests do not
/// each wait for Redis. Evictions missed meanwhile are replayed before anything is read from it again.
/// </summary>
public sealed class ResilientOutputCacheStore(IOutputCacheStore inner, ILogger<ResilientOutputCacheStore> logger) : IOutputCacheStore
{
    /// <summary>How long one call may take before it counts as a failure.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the store is skipped after a failure.</summary>
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> missedEvictions = new();
    private long openUntil;

    private bool IsOpen => Environment.TickCount64 < Volatile.Read(ref openUntil);

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (IsOpen) return null;
        try
        {
            // An entry stored before an eviction that could not reach Redis must not be served.
            if (!missedEvictions.IsEmpty && !await ReplayEvictionsAsync(cancellationToken)) return null;
            return await inner.GetAsync(key, cancellationToken).AsTask().WaitAsync(Budget, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Trip(e);
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (IsOpen || !missedEvictions.IsEmpty) return;
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken).AsTask().WaitAsync(Budget, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Trip(e);
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        missedEvictions.TryAdd(tag, 0);
        if (IsOpen) return;
        await ReplayEvictionsAsync(cancellationToken);
    }

    private async Task<bool> ReplayEvictionsAsync(CancellationToken cancellationToken)
    {
        foreach (var tag in missedEvictions.Keys)
        {
            try
            {
                // Removed first: an eviction asked for while this one runs is kept and replayed later.
                missedEvictions.TryRemove(tag, out _);
                await inner.EvictByTagAsync(tag, cancellationToken).AsTask().WaitAsync(Budget * 4, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                missedEvictions.TryAdd(tag, 0);
                Trip(e);
                return false;
            }
        }
        return true;
    }

    private void Trip(Exception e)
    {
        var was = IsOpen;
        Volatile.Write(ref openUntil, Environment.TickCount64 + (long)OpenFor.TotalMilliseconds);
        if (!was) logger.LogWarning(e, "The shared output cache failed; answering from the database for {Seconds} s.", OpenFor.TotalSeconds);
    }
}
