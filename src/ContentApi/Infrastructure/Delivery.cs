using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ContentApi.Auth;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace ContentApi.Infrastructure;

public sealed class DeliveryOptions
{
    /// <summary>How long a reader response may be served from this node's output cache. Writes evict at once.</summary>
    [Range(0, 3600)]
    public int OutputCacheSeconds { get; set; } = 10;
}

/// <summary>Token buckets per API key (per IP for anonymous callers), one for reads and one for writes.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;
    [Range(1, 1_000_000)] public int ReadsPerSecond { get; set; } = 50;
    [Range(1, 1_000_000)] public int ReadBurst { get; set; } = 200;
    [Range(1, 1_000_000)] public int WritesPerSecond { get; set; } = 10;
    [Range(1, 1_000_000)] public int WriteBurst { get; set; } = 50;
}

public static class Delivery
{
    public const string ContentTag = "content";

    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();

        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "text/html", "text/css", "application/javascript", "text/javascript"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

        services.AddOutputCache(o => o.AddBasePolicy(new ReaderOutputCachePolicy()));
        services.AddSingleton<ScheduledReleases>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledReleases>());
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        if (!options.Enabled || !http.Request.Path.StartsWithSegments("/v1"))
            return RateLimitPartition.GetNoLimiter("unlimited");
        var write = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        var who = http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } keyId
            ? "key:" + keyId
            : "ip:" + http.Connection.RemoteIpAddress;
        var partition = (write ? "w|" : "r|") + who;
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = write ? options.WriteBurst : options.ReadBurst,
            TokensPerPeriod = write ? options.WritesPerSecond : options.ReadsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = 429, Title = "Too many requests",
                Detail = $"Rate limit reached for this key; retry after {retryAfter} s.",
                Extensions = { ["code"] = Problems.RateLimited },
            },
        });
    }

    /// <summary>Cache headers for GET answers: shared caches may keep what readers get; editors' answers stay private.</summary>
    public static void SetCacheHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = http.User.Audience() == Audience.Reader
            ? "public, max-age=60, stale-while-revalidate=600"
            : "private, no-store";
        headers.Vary = "Authorization, Accept-Encoding";
    }
}

/// <summary>
/// Output-caches GETs answered to readers (anonymous or reader keys all see the same content, so the key does not
/// vary the entry). Editors are never served from or stored in the cache. Every write evicts the "content" tag.
/// </summary>
public sealed class ReaderOutputCachePolicy : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var cacheable = (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && http.Request.Path.StartsWithSegments("/v1")
            && http.User.Audience() == Audience.Reader;
        var seconds = http.RequestServices.GetRequiredService<IOptionsMonitor<DeliveryOptions>>().CurrentValue.OutputCacheSeconds;
        context.EnableOutputCaching = cacheable && seconds > 0;
        context.AllowCacheLookup = context.EnableOutputCaching;
        context.AllowCacheStorage = context.EnableOutputCaching;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(seconds);
        context.Tags.Add(Delivery.ContentTag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        // Only full answers: problems and 304s are cheap to make again and must not stick.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}

/// <summary>After a successful write, drops every cached reader response: includes make any write able to change any page.</summary>
public sealed class EvictOnWriteFilter(IOutputCacheStore store, ScheduledReleases releases) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
        {
            await store.EvictByTagAsync(Delivery.ContentTag, CancellationToken.None);
            releases.Poke();
        }
        return result;
    }
}
