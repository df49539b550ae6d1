using System.Net;
using System.Net.Http.Headers;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API4: unrestricted resource consumption.</summary>
public sealed partial class SecurityTests
{
    [Fact]
    public async Task Api4_PageSizeBodySizeAndRequestRate_AreCapped()
    {
        using var admin = app.Client();
        await (await admin.GetAsync("/v1/articles?limit=1000")).ValidationProblem("limit");
        var huge = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        huge.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        huge.Headers.ExpectContinue = true;
        await (await admin.SendAsync(huge)).Problem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        await using var limited = KestrelApp.Start(new Dictionary<string, string>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:ReadBurst"] = "20",
            ["RateLimits:ReadsPerSecond"] = "1",
            ["RateLimits:WriteBurst"] = "5",
            ["RateLimits:WritesPerSecond"] = "1",
        });
        using var greedy = limited.Client();
        HttpResponseMessage? refused = null;
        var served = 0;
        for (var i = 0; i < 60 && refused is null; i++)
        {
            var response = await greedy.GetAsync("/v1/articles");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else served++;
        }
        Assert.NotNull(refused);
        await refused!.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After in seconds");
        Assert.InRange(served, 20, 23);
        // Another caller (anonymous, by IP here) has a budget of its own.
        using var other = limited.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/articles")).StatusCode);
        figures.Add("API4 reads served before 429 (burst 20)", served);
    }
}
