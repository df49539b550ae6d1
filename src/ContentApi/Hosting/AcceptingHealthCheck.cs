using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContentApi.Hosting;

/// <summary>
/// Unhealthy from the moment the host starts stopping, so a load balancer's health check takes a leaving node out of
/// rotation while its in-flight requests finish (Shutdown:TimeoutSeconds).
/// </summary>
public sealed class AcceptingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("stopping")
            : HealthCheckResult.Healthy());

    /// <summary>The readiness answer: the overall status and each check's (one per data source), as JSON.</summary>
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
            json.WriteString(name, entry.Status.ToString());
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
