using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ContentApi.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// Issue 29: a flood of distinct wrong keys from one client. Once the client is over its budget of failed
/// authentications its requests are 429 rate_limited with Retry-After and cost no key lookup; a valid key is still served.
/// </summary>
public sealed class WrongKeyFloodTests : IAsyncLifetime
{
    private ContentApiFactory factory = null!;
    private readonly DbCommandCounter sql = new();
    private const int Burst = 5;

    public async Task InitializeAsync() => factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
    {
        ["Auth:Failures:Burst"] = Burst.ToString(),
        ["Auth:Failures:PerSecond"] = "1",
    });

    public async Task DisposeAsync()
    {
        sql.Dispose();
        await factory.StopAsync();
    }

    [Fact]
    public async Task AFloodOfWrongKeys_Gets429WithoutLookups_WhileAValidKeyIsServed()
    {
        var valid = factory.WithKey((await factory.Admin().CreateKey("reader")).Key);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/v1/articles?limit=1")).StatusCode);

        var client = factory.Anonymous();
        var clock = Stopwatch.StartNew();
        var refused = new List<(HttpStatusCode Status, int Commands, TimeSpan? RetryAfter)>();
        for (var i = 0; i < 40; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles?limit=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "cak_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
            var (response, commands) = await sql.SendAsync(client, request);
            refused.Add((response.StatusCode, commands, response.Headers.RetryAfter?.Delta));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                await response.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
            else
                await response.Problem(HttpStatusCode.Unauthorized, "unauthorized");
        }
        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        var lookedUp = refused.Where(r => r.Status == HttpStatusCode.Unauthorized).ToList();
        var throttled = refused.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(lookedUp.Count, Burst, Burst + seconds);
        Assert.Equal(refused.Count, lookedUp.Count + throttled.Count);
        // The positive control: a wrong key within the budget is looked up, and the counter sees that lookup.
        Assert.All(lookedUp, r => Assert.True(r.Commands >= 1, "a 401 without a key lookup: the SQL counter sees nothing"));
        Assert.All(throttled, r => Assert.Equal(0, r.Commands));
        Assert.All(throttled, r => Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), "429 without Retry-After"));

        // The flood's client is over its budget; a valid key is served all the same.
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/v1/articles?limit=1")).StatusCode);
        var metrics = await factory.Admin().GetStringAsync("/metrics");
        Assert.Contains("contentapi_auth_failures_total{", metrics);
        Assert.Contains("outcome=\"throttled\"", metrics);
    }

    [Fact]
    public async Task AValidKeyWhoseCachedAnswerExpired_IsLookedUpAllTheSame_FromAClientOverItsBudget()
    {
        // Behind one address (an office, a carrier NAT) a valid client shares the flood's budget.
        var key = (await factory.Admin().CreateKey("reader")).Key;
        var valid = factory.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/v1/articles?limit=1")).StatusCode);
        var flood = factory.Anonymous();
        HttpStatusCode last = 0;
        for (var i = 0; i < Burst + 5; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles?limit=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "cak_" + Guid.NewGuid().ToString("N"));
            var response = await flood.SendAsync(request);
            last = response.StatusCode;
            await response.Problem(last, last == HttpStatusCode.TooManyRequests ? "rate_limited" : "unauthorized");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        // Its cached answer expires (after ApiKeyCache.Lifetime): the next request needs a lookup, and gets it.
        factory.Services.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>()
            .Remove("apikey:" + Convert.ToHexString(ContentApi.Keys.KeyRepository.Hash(key)));
        var (answer, commands) = await sql.SendAsync(valid, new HttpRequestMessage(HttpMethod.Get, "/v1/articles?limit=1"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(commands >= 2, "the key was not looked up again: the test did not expire its cached answer");
    }
}
