using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ContentApi.Observability;
using Microsoft.Extensions.Options;

namespace ContentApi.Auth;

/// <summary>
/// Failed authentications counted per client before any key lookup: a client over its budget gets 429 at once, so a
/// flood of wrong keys costs neither database round trips nor cache memory. Logged at most once a second.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly ILogger<FailedAuthentications> logger;
    private long lastLogged;

    public FailedAuthentications(IOptions<FailedAuthOptions> options, ILogger<FailedAuthentications> logger)
    {
        var o = options.Value;
        this.logger = logger;
        RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(1.0 / o.PerSecond));
        limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.Burst,
            TokensPerPeriod = o.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public int RetryAfterSeconds { get; }

    /// <summary>The client a failure counts against: its IP, or its /64 network for IPv6 (one host holds a whole /64).</summary>
    public static string ClientOf(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>True when the client has spent its budget: answer 429 without looking the key up.</summary>
    public bool IsOverBudget(string client)
    {
        var over = limiter.GetStatistics(client)?.CurrentAvailablePermits <= 0;
        if (over)
            ContentApiMetrics.FailedAuthentications.Add(1, new KeyValuePair<string, object?>("outcome", "throttled"));
        return over;
    }

    /// <summary>Counts a wrong key against the client.</summary>
    public void Failed(string client)
    {
        ContentApiMetrics.FailedAuthentications.Add(1, new KeyValuePair<string, object?>("outcome", "unknown_key"));
        using var lease = limiter.AttemptAcquire(client);
        if (limiter.GetStatistics(client)?.CurrentAvailablePermits > 0)
            return;
        // Aggregated: the count is on /metrics; the log says which client went over, at most once a second.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastLogged);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref lastLogged, now, last) == last)
            logger.LogWarning("Client {Client} spent its budget of failed authentications; its wrong keys get 429 without a lookup", client);
    }

    public void Dispose() => limiter.Dispose();
}
