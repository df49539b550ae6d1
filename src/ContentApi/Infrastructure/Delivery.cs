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

    /// <summary>
    /// Most bytes of response bodies the output cache keeps (ASP.NET Core's default is 100 MB). Measured: hot
    /// sets fit in a few MB, while random reads over a large archive fill any limit, and the process grows with it.
    /// </summary>
    [Range(1, 4096)]
    public int OutputCacheMegabytes { get; set; } = 32;
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
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<DeliveryOptions>>((o, d) => o.SizeLimit = d.Value.OutputCacheMegabytes * 1024L * 1024L);
        services.AddSingleton<ScheduledReleases>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledReleases>());
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// The rate limiter for /v1 while it is on. Requests it would wave through skip it: even a no-limit partition
    /// is found under the partitioned limiter's one global lock and hands out a lease.
    /// </summary>
    public static WebApplication UseContentRateLimiter(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<RateLimitOptions>>();
        app.UseWhen(http => options.CurrentValue.Enabled && http.Request.Path.StartsWithSegments("/v1"), branch => branch.UseRateLimiter());
        return app;
    }

    /// <summary>The output cache, only for the requests its policy may answer or store (readers' GETs while it is on).</summary>
    public static WebApplication UseReaderOutputCache(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
        app.UseWhen(http => ReaderOutputCachePolicy.Applies(http, options.CurrentValue.OutputCacheSeconds), branch => branch.UseOutputCache());
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
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
        var seconds = http.RequestServices.GetRequiredService<IOptionsMonitor<DeliveryOptions>>().CurrentValue.OutputCacheSeconds;
        context.EnableOutputCaching = Applies(http, seconds);
        context.AllowCacheLookup = context.EnableOutputCaching;
        context.AllowCacheStorage = context.EnableOutputCaching;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(seconds);
        context.Tags.Add(Delivery.ContentTag);
        // A conditional GET must fill the cache on a miss too, or an app that only revalidates never gets cache hits
        // after an entry expires: it gets the full answer stored, and the gate answers it 304.
        if (context.EnableOutputCaching && HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.IfNoneMatch.Count > 0)
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

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        // Only full answers: problems and 304s are cheap to make again and must not stick.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Sits outside the output cache's own response stream: the cache stores the full 200 answer to a conditional GET,
/// and the client gets a 304 without body when its If-None-Match matches the answer's ETag.
/// </summary>
public sealed class NotModifiedGate(HttpContext http, Stream inner) : Stream
{
    private bool? notModified;

    private bool Discard()
    {
        if (notModified is { } decided) return decided;
        var response = http.Response;
        decided = response.StatusCode == StatusCodes.Status200OK && response.Headers.ETag is { Count: > 0 } etag
            && RepresentationFilter.Matches(http.Request.Headers.IfNoneMatch, etag.ToString());
        notModified = decided;
        return decided;
    }

    /// <summary>Just before the headers go out: the status changes only now, after the cache has read it.</summary>
    public Task OnStarting()
    {
        if (Discard())
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
        }
        return Task.CompletedTask;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { if (!Discard()) inner.Flush(); }
    public override Task FlushAsync(CancellationToken cancellationToken) => Discard() ? Task.CompletedTask : inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) { if (!Discard()) inner.Write(buffer, offset, count); }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Discard() ? Task.CompletedTask : inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Discard() ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);
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
