namespace ContentApi.Observability;

/// <summary>/metrics, configuration section "Metrics".</summary>
public sealed class MetricsOptions
{
    /// <summary>False: no /metrics at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Null (the default): /metrics on the API's own port, to an admin key. A port: /metrics only on that port, without a
    /// key, and nothing on the API's; the app must listen there too (ASPNETCORE_URLS="http://0.0.0.0:8080;http://127.0.0.1:9464"),
    /// so keep it off the public network.
    /// </summary>
    public int? ManagementPort { get; set; }
}
