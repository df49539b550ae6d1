using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Delivery;
using ContentApi.Tests.Reliability;

namespace ContentApi.Tests.Webhooks;

/// <summary>Subscriptions, the transactional outbox and the dispatcher, against a real receiver on 127.0.0.1.</summary>
public sealed class WebhookTests() : WebhookHost
{
    // The Data Protection key ring the hosts of one test share, as nodes of one deployment must.
    private static readonly string KeyRing = Directory.CreateTempSubdirectory("contentapi-keyring-").FullName;

    // A host of its own (own database): private targets allowed, fast polling, short retries and timeouts.
    internal static Dictionary<string, string> Settings(string? connectionString = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["DataProtection:KeyRingDirectory"] = KeyRing,
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:PollMilliseconds"] = "50",
            ["Webhooks:RetryBaseSeconds"] = "0.05",
            ["Webhooks:MaxAttempts"] = "4",
            ["Webhooks:TimeoutSeconds"] = "1",
        };
        if (connectionString is not null) settings["ConnectionStrings:Content"] = connectionString;
        return settings;
    }

    private async Task<JsonArray> Deliveries(Guid webhook) => (await admin.GetOk($"/v1/webhooks/{webhook}/deliveries?limit=100"))["items"]!.AsArray();

    [Fact]
    public async Task EveryCommittedChange_ArrivesSigned_InOrderPerResource_AndRolledBackOnesNever()
    {
        await Subscribe(["*"]);
        var person = await admin.CreatePerson();
        var id = person.Id();
        for (var v = 1; v <= 5; v++)
            await (await admin.Patch($"/v1/people/{id}", new { name = $"Nama {v}" }, TestData.Etag(v))).Json();
        // Refused writes: no event may come of them.
        await (await admin.Patch($"/v1/people/{id}", new { name = "basi" }, TestData.Etag(1))).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        await (await admin.PostAsJsonAsync("/v1/quotes", new { text = "x", language = "id", type = "direct", speakerId = Guid.NewGuid(), articleIds = Array.Empty<Guid>() }))
            .Problem(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/people/{id}", TestData.Etag(6))).StatusCode);

        await receiver.WaitForAsync(r => r.Count >= 7, TimeSpan.FromSeconds(20), "7 events");
        await Task.Delay(300); // nothing more may follow
        var got = receiver.Requests.ToList();
        Assert.Equal(7, got.Count);
        Assert.All(got, r => Assert.True(r.Verified, $"signature did not verify: {r.Signature}"));
        Assert.Equal(["person.created", .. Enumerable.Repeat("person.updated", 5), "person.deleted"], got.Select(r => r.Type));
        Assert.Equal(Enumerable.Range(1, 7), got.Select(r => (int)r.Json["version"]!));
        Assert.Equal("Nama 5", (string?)got[5].Json["data"]!["name"]);
        Assert.Null(got[6].Json["data"]);
        Assert.Equal(id, got[6].Json.Id());
        Assert.Equal(7, got.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task Failures_AreRetriedWithTheSameId_LastTryDeadLetters_410Disables_RetryAndPingWork()
    {
        var (flaky, _) = await Subscribe(["person.created"], receiver.Url + "?flaky");
        receiver.Answer = (_, n) => n <= 2 ? (500, TimeSpan.Zero) : (200, TimeSpan.Zero);
        await admin.CreatePerson();
        await receiver.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(20), "3 tries");
        var tries = receiver.Requests.ToList();
        Assert.Single(tries.Select(t => t.Id).Distinct());
        var delivered = (await Deliveries(flaky))[0]!;
        Assert.Equal("delivered", (string?)delivered["status"]);
        Assert.Equal(3, (int)delivered["attempts"]!);
        Assert.Equal(200, (int)delivered["lastStatusCode"]!);

        // Always failing: dead after MaxAttempts (4); a manual retry sends it once more, same id.
        while (receiver.Requests.TryDequeue(out _)) { }
        receiver.Answer = (_, _) => (503, TimeSpan.Zero);
        await admin.CreatePerson();
        await receiver.WaitForAsync(r => r.Count >= 4, TimeSpan.FromSeconds(20), "4 tries");
        await Task.Delay(500);
        Assert.Equal(4, receiver.Requests.Count);
        var dead = (await Deliveries(flaky))[0]!;
        Assert.Equal("dead", (string?)dead["status"]);
        Assert.Equal(4, (int)dead["attempts"]!);
        Assert.Equal("HTTP 503", (string?)dead["lastError"]);
        receiver.Answer = (_, _) => (200, TimeSpan.Zero);
        var retried = await (await admin.PostAsync($"/v1/webhooks/{flaky}/deliveries/{dead.Id()}/retry", null)).Json(HttpStatusCode.Accepted);
        Assert.Equal("pending", (string?)retried["status"]);
        await receiver.WaitForAsync(r => r.Count >= 5, TimeSpan.FromSeconds(20), "the retry");
        Assert.Equal(dead.Id().ToString(), receiver.Requests.Last().Id);

        // A timeout is a failure like any other, and retried.
        while (receiver.Requests.TryDequeue(out _)) { }
        receiver.Answer = (_, n) => n == 1 ? (200, TimeSpan.FromSeconds(2)) : (200, TimeSpan.Zero);
        await admin.CreatePerson();
        await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(20), "a timeout and its retry");
        var slow = (await Deliveries(flaky))[0]!;
        await WaitUntil(async () => (string?)(await Deliveries(flaky))[0]!["status"] == "delivered", "delivered after the timeout");
        Assert.Equal(slow.Id().ToString(), receiver.Requests.First().Id);

        // Ping.
        while (receiver.Requests.TryDequeue(out _)) { }
        var ping = await (await admin.PostAsync($"/v1/webhooks/{flaky}/ping", null)).Json(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(r => r.Any(x => x.Id == ping.Id().ToString()), TimeSpan.FromSeconds(20), "the ping");
        Assert.Equal("ping", receiver.Requests.Single().Type);

        // 410 Gone disables the subscription.
        receiver.Answer = (_, _) => (410, TimeSpan.Zero);
        await admin.CreatePerson();
        await WaitUntil(async () => (bool?)(await admin.GetOk($"/v1/webhooks/{flaky}"))["active"] == false, "disabled by 410");
        Assert.Contains("410", (string?)(await admin.GetOk($"/v1/webhooks/{flaky}"))["disabledReason"]);
        var gone = (await Deliveries(flaky))[0]!;
        Assert.Equal("dead", (string?)gone["status"]);
        Assert.Equal(410, (int)gone["lastStatusCode"]!);
        await (await admin.PostAsync($"/v1/webhooks/{Guid.NewGuid()}/ping", null)).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Rotation_SignsWithBothSecrets_ForADay()
    {
        var (id, old) = await Subscribe(["source.created"]);
        var rotated = await admin.PostAsync($"/v1/webhooks/{id}/secret", null);
        var fresh = (string)(await rotated.Json())["secret"]!;
        Assert.NotEqual(old, fresh);
        receiver.Secrets.Clear();
        receiver.Secrets.Add(fresh);
        await admin.CreateSource();
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "one event");
        var got = receiver.Requests.Single();
        Assert.True(got.Verified);
        Assert.Equal(2, got.Signature.Split(' ').Length);
        receiver.Secrets.Clear();
        receiver.Secrets.Add(old);
        // The old secret signs the same message too: receivers still holding it keep verifying.
        var byOld = new StandardWebhooks.StandardWebhook(old).Sign(got.Id, DateTimeOffset.FromUnixTimeSeconds(long.Parse(got.Timestamp)), got.Body);
        Assert.Contains(byOld, got.Signature.Split(' '));
    }

    [Fact]
    public async Task ThousandWritesFrom20Editors_TwoNodesDispatching_NoneLost_NoneTwice_OrderKept()
    {
        // A second app process's worth of host on the same database: both dispatch.
        await using var second = new ContentApiFactory(Settings(factory.ConnectionString));
        await ((IAsyncLifetime)second).InitializeAsync();
        await Subscribe(["person.updated", "person.created"]);
        var editors = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i => factory.WithKey((await admin.CreateKey("editor")).Key)));
        await Task.WhenAll(editors.Select(async (editor, i) =>
        {
            var id = (await editor.CreatePerson($"Orang {i}")).Id();
            for (var v = 1; v < 50; v++)
                await (await editor.Patch($"/v1/people/{id}", new { name = $"Orang {i}.{v}" }, TestData.Etag(v))).Json();
        }));
        await receiver.WaitForAsync(r => r.Count >= 1000, TimeSpan.FromSeconds(90), "1,000 events");
        await Task.Delay(500);
        var got = receiver.Requests.ToList();
        Assert.Equal(1000, got.Count);
        Assert.Equal(1000, got.Select(r => r.Id).Distinct().Count());
        Assert.All(got, r => Assert.True(r.Verified));
        foreach (var resource in got.GroupBy(r => (string)r.Json["id"]!))
            Assert.Equal(Enumerable.Range(1, 50), resource.Select(r => (int)r.Json["version"]!));
    }

    [Fact]
    public async Task AnAppKilledMidDispatch_SendsTheDeliveryAgainAfterRestart_WithTheSameId()
    {
        // This host only makes the database; real app processes dispatch, and one is killed while a receiver holds
        // its request open.
        await using var database = new ContentApiFactory(new Dictionary<string, string> { ["Webhooks:DispatcherEnabled"] = "false" });
        await ((IAsyncLifetime)database).InitializeAsync();
        var settings = Settings();
        settings["Webhooks:TimeoutSeconds"] = "30";
        var app = await AppProcess.StartAsync(database.ConnectionString, settings);
        var client = app.Client();
        var subscription = await (await client.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, events = new[] { "*" } })).Json(HttpStatusCode.Created);
        receiver.Secrets.Add((string)subscription["secret"]!);
        receiver.Answer = (_, n) => n == 1 ? (200, TimeSpan.FromSeconds(6)) : (200, TimeSpan.Zero);
        await client.CreatePerson();
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "the first try");
        await app.DisposeAsync(); // SIGKILL, mid-request

        await using var restarted = await AppProcess.StartAsync(database.ConnectionString, settings);
        await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), "the try after the restart");
        var got = receiver.Requests.ToList();
        Assert.Equal(got[0].Id, got[1].Id);
        Assert.All(got, r => Assert.True(r.Verified));
        var id = subscription["webhook"]!.Id();
        await WaitUntil(async () => (string?)(await restarted.Client().GetOk($"/v1/webhooks/{id}/deliveries"))["items"]![0]!["status"] == "delivered", "delivered");
        // The killed try was never recorded: its transaction died with the process.
        Assert.Equal(1, (int)(await restarted.Client().GetOk($"/v1/webhooks/{id}/deliveries"))["items"]![0]!["attempts"]!);
    }

    [Fact]
    public async Task TheDatabaseStoppedAndStartedAgain_DeliveryResumes()
    {
        await using var pg = await PrivatePostgres.StartAsync("webhooks");
        var settings = Settings();
        settings["Webhooks:RetryBaseSeconds"] = "2";
        await using var app = await AppProcess.StartAsync(pg.ConnectionString("contentapi_webhooks"), settings);
        var client = app.Client();
        var subscription = await (await client.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, events = new[] { "*" } })).Json(HttpStatusCode.Created);
        receiver.Secrets.Add((string)subscription["secret"]!);
        // The first try fails; the database goes away before the retry is due and comes back later.
        receiver.Answer = (_, n) => n == 1 ? (503, TimeSpan.Zero) : (200, TimeSpan.Zero);
        await client.CreatePerson();
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "the first try");
        await pg.StopFastAsync();
        var stoppedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await pg.StartAgainAsync();
        await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), "the retry after the outage");
        var got = receiver.Requests.ToList();
        Assert.Equal(got[0].Id, got[1].Id);
        Assert.True(got[1].Verified);
        // Sent while the database was down is impossible: the retry came after it was back.
        Assert.True(got[1].At > stoppedAt, $"retry at {got[1].At:O}, database stopped at {stoppedAt:O}");
    }

    [Fact]
    public async Task AScheduledPublish_IsAnnouncedWhenItsTimeComes_Once()
    {
        await Subscribe(["article.published"]);
        var article = await admin.CreateArticle(TestData.Article());
        var at = DateTime.UtcNow.AddSeconds(2);
        await (await admin.Send(HttpMethod.Post, $"/v1/articles/{article.Id()}/publish", new { publishedAt = at })).Json();
        await Task.Delay(1000);
        Assert.Empty(receiver.Requests);
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "article.published");
        await Task.Delay(1000);
        var got = receiver.Requests.Single();
        Assert.Equal("article.published", got.Type);
        Assert.Equal(article.Id(), got.Json.Id());
        Assert.True(DateTime.UtcNow >= at);
    }

    [Fact]
    public async Task Subscriptions_AreAdminOnly_AndValidated()
    {
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        await (await editor.GetAsync("/v1/webhooks")).Problem(HttpStatusCode.Forbidden, "forbidden");
        await (await factory.Anonymous().GetAsync("/v1/webhooks")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await admin.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, events = new[] { "article.exploded" } })).ValidationProblem("events[0]");
        await (await admin.PostAsJsonAsync("/v1/webhooks", new { url = "ftp://example.org", events = new[] { "*" } })).ValidationProblem("url");
        // Found by the fuzz campaign: a null list of events was a 500.
        await (await admin.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, events = (string[]?)null })).ValidationProblem("events");
        var (id, secret) = await Subscribe(["*"]);
        var listed = await admin.GetOk("/v1/webhooks");
        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.Contains(id.ToString(), listed.ToJsonString());
        var patched = await (await admin.Patch($"/v1/webhooks/{id}", new { active = false, description = "off" }, null)).Json();
        Assert.False((bool)patched["active"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        await (await admin.GetAsync($"/v1/webhooks/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
    }
}
