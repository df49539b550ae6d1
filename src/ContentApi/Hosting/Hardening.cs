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

        // Blank entries (compose passes an unset origin as "") allow nothing.
        var origins = (builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).ToArray();
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
                await RefuseAsync(http, 414, "Query string too long", $"Keep the query string under {limits.MaxQueryStringLength} characters.");
                return;
            }
            var requestHeaders = http.Request.Headers;
            if (requestHeaders.Count > limits.MaxHeaderCount)
            {
                await RefuseAsync(http, 431, "Request headers too large", $"Send at most {limits.MaxHeaderCount} headers (this request has {requestHeaders.Count}).");
                return;
            }
            if (HeaderBytes(requestHeaders) > limits.MaxHeaderBytes)
            {
                await RefuseAsync(http, 431, "Request headers too large", $"Keep the request headers under {limits.MaxHeaderBytes} bytes in all.");
                return;
            }
            await next(http);
        });
        return app;
    }

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            total += name.Length + 4; // ": " and CRLF
            foreach (var value in values)
                total += value?.Length ?? 0;
        }
        return total;
    }

    private static ValueTask RefuseAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
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
            // Kestrel answers its own limits with an empty body: its limits sit well above the app's, so a request over
            // the app's limit still reaches the middleware above and gets a problem; only one past Kestrel's does not.
            options.Limits.MaxRequestLineSize = l.MaxQueryStringLength + 64 * 1024;
            options.Limits.MaxRequestHeadersTotalSize = 4 * l.MaxHeaderBytes;
            options.Limits.MaxRequestHeaderCount = 4 * l.MaxHeaderCount;
        }
    }
}
