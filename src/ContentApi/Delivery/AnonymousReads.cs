using ContentApi.Auth;
using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>
/// Reads sent without a key while anonymous reads are on: they need neither authentication (there is nothing to
/// authenticate) nor authorization (the read policy lets them through), so their rate limit and their output-cache hit
/// come before both. Everything an anonymous reader may be served from the cache was answered to a reader, and every
/// reader sees the same content.
/// </summary>
public static class AnonymousReads
{
    public static bool Is(HttpContext http, bool allowAnonymousReads) =>
        allowAnonymousReads
        && http.Request.Headers.Authorization.Count == 0
        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && http.Request.Path.StartsWithSegments("/v1");

    /// <summary>Before authentication: the rate limiter (while on) and the output cache for anonymous reads.</summary>
    public static WebApplication UseAnonymousReads(this WebApplication app)
    {
        var allow = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.AllowAnonymousReads;
        var limits = app.Services.GetRequiredService<IOptionsMonitor<RateLimitOptions>>();
        var delivery = app.Services.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
        var admission = app.Services.GetRequiredService<CacheAdmission>();
        app.UseWhen(http => Is(http, allow), branch =>
        {
            branch.UseWhen(_ => limits.CurrentValue.Enabled, limited => limited.UseRateLimiter());
            branch.UseWhen(http => delivery.CurrentValue.OutputCacheSeconds > 0 && admission.Admits(http),
                cached => cached.UseOutputCache());
        });
        return app;
    }
}
