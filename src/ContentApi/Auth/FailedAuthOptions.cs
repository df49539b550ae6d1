using System.ComponentModel.DataAnnotations;

namespace ContentApi.Auth;

/// <summary>The budget of failed authentications per client, configuration section "Auth:Failures".</summary>
public sealed class FailedAuthOptions
{
    /// <summary>Wrong keys a client (an IP; a /64 for IPv6) may send at once before it gets 429 without a key lookup.</summary>
    [Range(1, 10_000)] public int Burst { get; set; } = 10;
    /// <summary>Wrong keys a second a client may go on sending once its burst is spent.</summary>
    [Range(1, 10_000)] public int PerSecond { get; set; } = 2;
    /// <summary>Unknown keys remembered (5 s each) so a repeated wrong key costs no lookup; the oldest go first beyond this.</summary>
    [Range(100, 10_000_000)] public int NegativeCacheSize { get; set; } = 10_000;
}
