using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ContentApi.Hosting;

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
