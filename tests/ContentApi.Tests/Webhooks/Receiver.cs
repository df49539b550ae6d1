using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace ContentApi.Tests.Webhooks;

/// <summary>One request as the receiver saw it, with whether its signature verified against the secrets it knows.</summary>
public sealed record Received(string Id, string Timestamp, string Signature, string Body, bool Verified, DateTime At)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public string Type => (string)Json["type"]!;
}

/// <summary>
/// A real HTTP receiver: Kestrel on a free 127.0.0.1 port, verifying every Standard Webhooks signature with the
/// StandardWebhooks package. <see cref="Answer"/> decides each answer from the webhook-id and how often it was seen.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> seen = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Secrets a signature may verify with (a rotation adds one).</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    /// <summary>(webhook-id, try number for that id) -> status and delay. Default: 200 at once.</summary>
    public Func<string, int, (int Status, TimeSpan Delay)> Answer { get; set; } = (_, _) => (200, TimeSpan.Zero);

    public string Url { get; }

    private Receiver(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/hook", (RequestDelegate)(http => receiver!.HandleAsync(http)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new Receiver(app, address + "/hook");
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var id = http.Request.Headers["webhook-id"].ToString();
        var verified = Secrets.Any(secret =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body, http.Request.Headers);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        });
        Requests.Enqueue(new Received(id, http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString(), body, verified, DateTime.UtcNow));
        var (status, delay) = Answer(id, seen.AddOrUpdate(id, 1, (_, n) => n + 1));
        if (delay > TimeSpan.Zero) await Task.Delay(delay);
        http.Response.StatusCode = status;
    }

    /// <summary>Waits (bounded) until <paramref name="done"/> holds for what arrived.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<Received>, bool> done, TimeSpan limit, string what)
    {
        var until = DateTime.UtcNow + limit;
        while (!done(Requests.ToList()))
        {
            Assert.True(DateTime.UtcNow < until, $"timed out after {limit.TotalSeconds} s waiting for {what}; got {Requests.Count} requests");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
