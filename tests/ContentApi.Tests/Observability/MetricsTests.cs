using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Observability;

/// <summary>
/// /metrics: Prometheus text an admin key may scrape (401/403 for others), every sample line parses, and the counters
/// move with the traffic: requests by route and status, database commands, output-cache hits, rate-limit rejections,
/// sync pages.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsTests : IAsyncLifetime
{
    private ContentApiFactory factory = null!;

    public async Task InitializeAsync() => factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:ReadBurst"] = "5",
        ["RateLimits:ReadsPerSecond"] = "1",
    });

    public Task DisposeAsync() => factory.StopAsync();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>[^ ]+)( [0-9]+)?$""")]
    private static partial Regex Sample();

    private Task<Dictionary<string, double>> ScrapeAsync() => ScrapeAsync(factory.Admin());

    /// <summary>Scrapes /metrics as admin; every line is a comment or a sample. Returns (name{labels}) -> value.</summary>
    internal static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient admin)
    {
        await Task.Delay(400); // the exporter caches a scrape for 300 ms
        var response = await admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var m = Sample().Match(line);
            Assert.True(m.Success, "not a Prometheus sample line: " + line);
            var value = m.Groups["value"].Value;
            samples[m.Groups["name"].Value + "{" + m.Groups["labels"].Value + "}"] = value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            };
        }
        Assert.NotEmpty(samples);
        return samples;
    }

    internal static double Sum(Dictionary<string, double> samples, string name, params string[] labels) =>
        samples.Where(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    [Fact]
    public async Task Metrics_AreForAdminsOnly()
    {
        await (await factory.Anonymous().GetAsync("/metrics")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        var reader = factory.WithKey((await factory.Admin().CreateKey("reader")).Key);
        await (await reader.GetAsync("/metrics")).Problem(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await factory.Admin().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task TheScrapeParses_AndTheCountersMoveWithTheTraffic()
    {
        var admin = factory.Admin();
        await admin.CreatePerson("Metrik Orang");
        var before = await ScrapeAsync();

        const string route = "http_route=\"/v1/people/{idOrSlug}\"";
        var reader = factory.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/v1/people/no-such-person")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/people?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/people?limit=1")).StatusCode); // stored (asked twice)
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/people?limit=1")).StatusCode); // from the output cache
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/sync?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/sync?limit=1")).StatusCode);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await reader.GetAsync($"/v1/sources?limit={i % 3 + 1}")).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var rejected = statuses.Count(s => s == HttpStatusCode.TooManyRequests);

        // A request's duration is recorded as its pipeline ends, which may be just after the client has the answer.
        var after = await ScrapeAsync();
        double Moved(string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);
        for (var wait = 0; wait < 50 && Moved("http_server_request_duration_seconds_count", route, "http_response_status_code=\"404\"") < 1; wait++)
        {
            await Task.Delay(100);
            after = await ScrapeAsync();
        }
        Assert.Equal(1, Moved("http_server_request_duration_seconds_count", route, "http_response_status_code=\"404\""));
        Assert.True(Moved("http_server_request_duration_seconds_count", "http_route=\"/v1/people/\"", "http_response_status_code=\"200\"") >= 2
            || Moved("http_server_request_duration_seconds_count", "http_route=\"/v1/people\"", "http_response_status_code=\"200\"") >= 2,
            "two 200s of the people list are not counted by route");
        Assert.True(Moved("db_client_operation_duration_seconds_count") > 0, "no database command was counted");
        Assert.True(Sum(after, "db_client_connection_count") > 0, "no connection pool figures");
        Assert.True(Moved("contentapi_output_cache_hits_total") >= 1, "the output cache hit was not counted");
        Assert.Equal(rejected, Moved("contentapi_rate_limit_rejections_total", "policy=\"read\""));
        Assert.Equal(2, Moved("contentapi_sync_pages_total"));
    }
}
