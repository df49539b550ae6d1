using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Webhooks;

/// <summary>A test class's own host (database of its own, webhook settings of <see cref="WebhookTests.Settings"/>) and a receiver on 127.0.0.1.</summary>
public abstract class WebhookHost(IReadOnlyDictionary<string, string>? extra = null) : IAsyncLifetime
{
    protected readonly ContentApiFactory factory = new(Merge(WebhookTests.Settings(), extra));
    protected Receiver receiver = null!;
    protected HttpClient admin = null!;

    private static Dictionary<string, string> Merge(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return settings;
    }

    public virtual async Task InitializeAsync()
    {
        await ((IAsyncLifetime)factory).InitializeAsync();
        admin = factory.Admin();
        receiver = await Receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await ((IAsyncLifetime)factory).DisposeAsync();
    }

    /// <summary>Subscribes the receiver (or <paramref name="url"/>) to events; the receiver verifies with the secret shown.</summary>
    protected async Task<(Guid Id, string Secret)> Subscribe(string[] events, string? url = null)
    {
        var body = await (await admin.PostAsJsonAsync("/v1/webhooks", new { url = url ?? receiver.Url, events, description = "test" })).Json(HttpStatusCode.Created);
        var secret = (string)body["secret"]!;
        Assert.StartsWith("whsec_", secret);
        receiver.Secrets.Add(secret);
        return (body["webhook"]!.Id(), secret);
    }

    /// <summary>Polls until done, failing after 20 s.</summary>
    protected static async Task WaitUntil(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
