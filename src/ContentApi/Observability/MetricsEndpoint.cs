using ContentApi.Auth;
using Npgsql;
using OpenTelemetry.Metrics;

namespace ContentApi.Observability;

/// <summary>
/// OpenTelemetry metrics in the Prometheus text format at /metrics: HTTP requests by route and status (ASP.NET Core's
/// own meters), database commands and the connection pool (Npgsql's), rate-limiter leases, and <see cref="ContentApiMetrics"/>.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddContentApiMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration("Metrics");
        if (!builder.Configuration.GetValue("Metrics:Enabled", true))
            return builder;
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddMeter("Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics")
            .AddMeter(ContentApiMetrics.MeterName)
            // Route x method x status outgrows the default 2,000 points per metric once every route has met every
            // status; past the limit new combinations fold into one overflow series and their requests vanish from view.
            .AddView("http.server.request.duration", new MetricStreamConfiguration { CardinalityLimit = 20_000 })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapContentApiMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled)
            return app;
        // The management port is told apart by the connection's local port, not the Host header a client chooses.
        if (options.ManagementPort is { } port)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == port && http.Request.Path == Path);
        else
            app.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription().RequireAuthorization(Policies.Admin);
        return app;
    }
}
