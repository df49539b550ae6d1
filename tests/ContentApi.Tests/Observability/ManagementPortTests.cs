using System.Net;
using ContentApi.Tests.Delivery;
using ContentApi.Tests.Reliability;
using Microsoft.AspNetCore.Hosting;

namespace ContentApi.Tests.Observability;

/// <summary>
/// With Metrics:ManagementPort, /metrics is served on that port only, without a key, and not on the API's port, whatever
/// Host header a client sends there.
/// </summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task Metrics_AreOnTheManagementPortOnly()
    {
        var (api, management) = (Net.FreePort(), Net.FreePort());
        var factory = new ContentApiFactory(new Dictionary<string, string> { ["Metrics:ManagementPort"] = management.ToString() });
        try
        {
            using var host = factory.WithWebHostBuilder(b => b.UseUrls($"http://127.0.0.1:{api}", $"http://127.0.0.1:{management}"));
            host.UseKestrel();
            host.StartServer();
            using var http = new HttpClient();
            var scrape = await http.GetAsync($"http://127.0.0.1:{management}/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("# TYPE", await scrape.Content.ReadAsStringAsync());

            var admin = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/metrics");
            admin.Headers.Authorization = new("Bearer", ContentApiFactory.AdminKey);
            await (await http.SendAsync(admin)).Problem(HttpStatusCode.NotFound, "not_found");
            var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/metrics");
            spoofed.Headers.Host = $"127.0.0.1:{management}";
            await (await http.SendAsync(spoofed)).Problem(HttpStatusCode.NotFound, "not_found");
            // The API port still serves the API.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{api}/v1/articles")).StatusCode);
        }
        finally
        {
            await DeliveryTestKit.StopAsync(factory);
        }
    }
}
