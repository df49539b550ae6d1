using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ContentApi.Infrastructure;

/// <summary>Bounds on what one request may cost, so nothing unbounded reaches the database.</summary>
public sealed class RequestLimitOptions
{
    [Range(1024, 100 * 1024 * 1024)] public long MaxBodyBytes { get; set; } = 1024 * 1024;
    [Range(256, 65536)] public int MaxQueryStringLength { get; set; } = 4096;
    /// <summary>Seconds a client may take to send its headers (slow-loris protection).</summary>
    [Range(1, 300)] public int HeadersTimeoutSeconds { get; set; } = 15;
    /// <summary>Minimum upload rate in bytes per second after a grace period; slower clients are cut off.</summary>
    [Range(1, 1_000_000)] public int MinBodyBytesPerSecond { get; set; } = 240;
}

public sealed class CorsOptions
{
    /// <summary>Origins allowed to call the API from browsers. Empty (the default): CORS is off.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

public static class Hardening
{
    public const string CorsPolicy = "configured-origins";

    private const string SwaggerPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddHardening(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLimitOptions>().BindConfiguration("Limits").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CorsOptions>().BindConfiguration("Cors");
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, ConfigureKestrelLimits>();

        var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p =>
        {
            if (origins.Length > 0)
                p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("ETag", "Last-Modified", "Link", "Location", "Retry-After", "Idempotent-Replayed");
        }));
        return builder;
    }

    public static WebApplication UseHardening(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        // Resolved once, not on every request.
        var limitOptions = app.Services.GetRequiredService<IOptionsMonitor<RequestLimitOptions>>();
        app.Use(async (http, next) =>
        {
            var limits = limitOptions.CurrentValue;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            // Swagger UI is the only HTML we serve: scripts and styles from our own origin only.
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/swagger") ? SwaggerPolicy : ApiPolicy;
            if (http.Request.QueryString.Value?.Length > limits.MaxQueryStringLength)
            {
                http.Response.StatusCode = StatusCodes.Status414UriTooLong;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 414, Title = "Query string too long", Detail = $"Keep the query string under {limits.MaxQueryStringLength} characters." },
                });
                return;
            }
            await next(http);
        });
        return app;
    }

    private sealed class ConfigureKestrelLimits(IOptions<RequestLimitOptions> limits) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options)
        {
            var l = limits.Value;
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = l.MaxBodyBytes;
            options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(l.HeadersTimeoutSeconds);
            options.Limits.MinRequestBodyDataRate = new MinDataRate(l.MinBodyBytesPerSecond, TimeSpan.FromSeconds(5));
            options.Limits.MaxRequestLineSize = Math.Max(8192, l.MaxQueryStringLength + 1024);
        }
    }
}
