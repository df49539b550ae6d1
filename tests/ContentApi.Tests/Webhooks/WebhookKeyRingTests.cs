using System.Net;
using System.Net.Http.Json;
using ContentApi.Tests.Reliability;

namespace ContentApi.Tests.Webhooks;

/// <summary>
/// Two real app processes on one database that share nothing but DataProtection:KeyRingDirectory (each has its own
/// HOME, so its own default key store, and node B its own content root, ASP.NET Core's default application name):
/// a subscription made through node A is signed and delivered by node B.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class WebhookKeyRingTests : IAsyncLifetime
{
    private readonly ContentApiFactory database = new(new Dictionary<string, string> { ["Webhooks:DispatcherEnabled"] = "false" });
    private Receiver receiver = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)database).InitializeAsync();
        receiver = await Receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await ((IAsyncLifetime)database).DisposeAsync();
    }

    private static Dictionary<string, string> Node(string name, string keyRing, bool dispatches)
    {
        var home = Directory.CreateTempSubdirectory($"contentapi-home-{name}-").FullName;
        return new Dictionary<string, string>
        {
            ["DataProtection:KeyRingDirectory"] = keyRing,
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:PollMilliseconds"] = "50",
            ["Webhooks:RetryBaseSeconds"] = "0.2",
            ["Webhooks:DispatcherEnabled"] = dispatches ? "true" : "false",
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(home, "share"),
        };
    }

    [Fact]
    public async Task ASubscriptionMadeThroughNodeA_IsSignedAndDeliveredByNodeB()
    {
        var keyRing = Directory.CreateTempSubdirectory("contentapi-shared-keyring-").FullName;
        var rootB = Directory.CreateTempSubdirectory("contentapi-root-b-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(rootB, "appsettings.json"));
        var settingsB = Node("b", keyRing, dispatches: true);
        settingsB["ASPNETCORE_CONTENTROOT"] = rootB;

        await using var a = await AppProcess.StartAsync(database.ConnectionString, Node("a", keyRing, dispatches: false));
        await using var b = await AppProcess.StartAsync(database.ConnectionString, settingsB);
        var nodeA = a.Client();
        var created = await (await nodeA.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, events = new[] { "person.created" } })).Json(HttpStatusCode.Created);
        receiver.Secrets.Add((string)created["secret"]!);
        var person = await nodeA.CreatePerson();

        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), "node B's delivery");
        var got = receiver.Requests.First();
        Assert.True(got.Verified, $"signature did not verify: {got.Signature}");
        Assert.Equal(person.Id(), got.Json.Id());
        // Recorded after the receiver answered: wait for it. One try: node B could decrypt the secret at once.
        var url = $"/v1/webhooks/{created["webhook"]!.Id()}/deliveries";
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((string?)(await b.Client().GetOk(url))["items"]![0]!["status"] != "delivered")
        {
            Assert.True(DateTime.UtcNow < until, "the delivery was not recorded as delivered");
            await Task.Delay(50);
        }
        Assert.Equal(1, (int)(await b.Client().GetOk(url))["items"]![0]!["attempts"]!);
        Assert.NotEmpty(Directory.GetFiles(keyRing, "key-*.xml"));
    }
}
