using ContentApi.Auth;
using ContentApi.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>
/// Output-caches GETs answered to readers (anonymous or reader keys all see the same content, so the key does not
/// vary the entry). Editors are never served from or stored in the cache. Every write evicts the "content" tag.
/// </summary>
public sealed class ReaderOutputCachePolicy : IOutputCachePolicy
{
    /// <summary>The tag every cached reader answer carries; any write evicts it.</summary>
    public const string ContentTag = "content";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var seconds = http.RequestServices.GetRequiredService<IOptionsMonitor<DeliveryOptions>>().CurrentValue.OutputCacheSeconds;
        // Only requests CacheAdmission admitted get here (the middleware runs in a branch): a URL not asked for within
        // the cache's time is in no cache worth a lookup, and one not asked for again soon is looked up, not stored.
        context.EnableOutputCaching = Applies(http, seconds);
        context.AllowCacheLookup = context.EnableOutputCaching;
        context.AllowCacheStorage = context.EnableOutputCaching && CacheAdmission.Stores(http);
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(seconds);
        context.Tags.Add(ReaderOutputCachePolicy.ContentTag);
        // A conditional GET must fill the cache on a miss too, or an app that only revalidates never gets cache hits
        // after an entry expires: it gets the full answer stored, and the gate answers it 304.
        if (context.AllowCacheStorage && HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.IfNoneMatch.Count > 0)
        {
            var gate = new NotModifiedGate(http, http.Response.Body);
            http.Features.Set(gate);
            http.Response.Body = gate;
            // Registered before the output cache's own callback, so it runs after it (last registered runs first):
            // the cache has taken the 200 and its headers by the time the client's answer becomes a 304.
            http.Response.OnStarting(static state => ((NotModifiedGate)state).OnStarting(), gate);
        }
        return ValueTask.CompletedTask;
    }

    public static bool Applies(HttpContext http, int seconds) =>
        seconds > 0
        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && http.Request.Path.StartsWithSegments("/v1")
        && http.User.Audience() == Audience.Reader;

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        Observability.ContentApiMetrics.OutputCacheHits.Add(1);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        // Only full answers: problems and 304s are cheap to make again and must not stick.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
