using System.Net;
using System.Net.Http.Json;
using ContentApi.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Delivery;

/// <summary>A host with rate limits on and small budgets: 5 reads (1 more per second) and 3 writes (1 more per second) per key.</summary>
public sealed class RateLimitedHost : IAsyncLifetime
{
    public const int ReadBurst = 5;
    public const int WriteBurst = 3;

    public ContentApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync() => Factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:ReadBurst"] = ReadBurst.ToString(),
        ["RateLimits:ReadsPerSecond"] = "1",
        ["RateLimits:WriteBurst"] = WriteBurst.ToString(),
        ["RateLimits:WritesPerSecond"] = "1",
    });

    public Task DisposeAsync() => Factory.StopAsync();

    /// <summary>A client with a fresh key (made directly, so making it spends no budget).</summary>
    public async Task<HttpClient> NewKey(KeyRole role)
    {
        var created = await Factory.Services.GetRequiredService<KeyRepository>()
            .CreateAsync(new KeyRequest { Name = "rate-" + Guid.NewGuid().ToString("N")[..8], Role = role }, CancellationToken.None);
        return Factory.WithKey(created.Key);
    }
}

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    /// <summary>
    /// Sends requests until the first 429 and returns it, asserting the whole burst got through first. The bucket
    /// refills one token a second, so one or two more may pass when the loop straddles a refill.
    /// </summary>
    private static async Task<HttpResponseMessage> Exhaust(int burst, Func<Task<HttpResponseMessage>> send, HttpStatusCode ok)
    {
        for (var i = 0; i < burst + 3; i++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(i >= burst, $"429 after only {i} requests; the burst is {burst}");
                return response;
            }
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == ok, $"request {i + 1}: expected {(int)ok}, got {(int)response.StatusCode} {text}");
        }
        Assert.Fail($"no 429 after {burst + 3} requests with a burst of {burst}");
        return null!;
    }

    private static async Task AssertRateLimited(HttpResponseMessage response)
    {
        var problem = await response.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        var retryAfter = response.Headers.RetryAfter;
        Assert.True(retryAfter?.Delta is { } delta && delta >= TimeSpan.FromSeconds(1),
            $"Retry-After should be a whole number of seconds >= 1, got '{retryAfter}'");
        Assert.True(retryAfter!.Delta <= TimeSpan.FromSeconds(60), $"Retry-After {retryAfter} is unreasonably long for a 1/s refill");
    }

    private static Task<HttpResponseMessage> CreatePerson(HttpClient client) =>
        client.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("rate"), name = "Rate Limited", aliases = Array.Empty<string>() });

    [Fact]
    public async Task Reads_Return429WithRetryAfterAfterTheBurst_AndRecoverAfterWaiting()
    {
        var reader = await host.NewKey(KeyRole.Reader);
        var limited = await Exhaust(RateLimitedHost.ReadBurst, () => reader.GetAsync("/v1/articles"), HttpStatusCode.OK);
        await AssertRateLimited(limited);

        await Task.Delay(limited.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task EachKey_HasItsOwnBudget()
    {
        var first = await host.NewKey(KeyRole.Reader);
        var second = await host.NewKey(KeyRole.Reader);
        await AssertRateLimited(await Exhaust(RateLimitedHost.ReadBurst, () => first.GetAsync("/v1/people"), HttpStatusCode.OK));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetAsync("/v1/people")).StatusCode);
        for (var i = 0; i < RateLimitedHost.ReadBurst - 1; i++)
            Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/people")).StatusCode);
    }

    [Fact]
    public async Task AnonymousCallers_AreLimitedPerIp_KeysAreNot()
    {
        var anonymous = host.Factory.Anonymous();
        await AssertRateLimited(await Exhaust(RateLimitedHost.ReadBurst, () => anonymous.GetAsync("/v1/sources"), HttpStatusCode.OK));
        // Another anonymous client from the same address shares the budget; a key has its own.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.Factory.Anonymous().GetAsync("/v1/sources")).StatusCode);
        var keyed = await host.NewKey(KeyRole.Reader);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/v1/sources")).StatusCode);
    }

    [Fact]
    public async Task Writes_HaveTheirOwnBudget_SpendingReadsLeavesWrites()
    {
        var editor = await host.NewKey(KeyRole.Editor);
        await AssertRateLimited(await Exhaust(RateLimitedHost.ReadBurst, () => editor.GetAsync("/v1/articles?status=draft"), HttpStatusCode.OK));
        var write = await CreatePerson(editor);
        Assert.True(write.StatusCode == HttpStatusCode.Created, $"a write after the reads ran out: {(int)write.StatusCode} {await write.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Writes_Return429AfterTheirBurst_SpendingWritesLeavesReads()
    {
        var editor = await host.NewKey(KeyRole.Editor);
        var limited = await Exhaust(RateLimitedHost.WriteBurst, () => CreatePerson(editor), HttpStatusCode.Created);
        await AssertRateLimited(limited);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/v1/people")).StatusCode);
    }
}
