using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ContentApi.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

public static class RateLimits
{
    public static IServiceCollection AddContentRateLimiter(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// The rate limiter for /v1 while it is on. Requests it would wave through skip it: even a no-limit partition
    /// is found under the partitioned limiter's one global lock and hands out a lease. Anonymous reads met the same
    /// limiter before authentication (<see cref="AnonymousReads"/>).
    /// </summary>
    public static WebApplication UseContentRateLimiter(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<RateLimitOptions>>();
        var allow = app.Services.GetRequiredService<IOptions<Auth.AuthOptions>>().Value.AllowAnonymousReads;
        app.UseWhen(http => options.CurrentValue.Enabled && http.Request.Path.StartsWithSegments("/v1") && !AnonymousReads.Is(http, allow),
            branch => branch.UseRateLimiter());
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
        var write = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        Observability.ContentApiMetrics.RateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", write ? "write" : "read"));
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
}
