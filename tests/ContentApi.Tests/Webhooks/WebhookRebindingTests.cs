using System.Net;
using System.Net.Http.Json;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Webhooks;

/// <summary>SSRF at delivery time: a target that passed at subscription but now resolves to loopback (as after a DNS change) is never connected to.</summary>
public sealed class WebhookRebindingTests() : WebhookHost(new Dictionary<string, string> { ["Webhooks:AllowPrivateTargets"] = "false" })
{
    [Fact]
    public async Task ATargetResolvingToLoopbackAtDeliveryTime_IsRefusedOnConnect_AndNothingArrives()
    {
        var body = await (await admin.PostAsJsonAsync("/v1/webhooks",
            new { url = "https://203.0.113.7/hook", events = new[] { "source.created" } })).Json(HttpStatusCode.Created);
        var id = body["webhook"]!.Id();
        var port = new Uri(receiver.Url).Port;
        await DeliveryTestKit.Execute(factory.ConnectionString, "update webhook_subscriptions set url = @Url where id = @Id",
            ("Url", $"https://localhost:{port}/hook"), ("Id", id));
        await admin.CreateSource("Sumber Berpindah");
        await WaitUntil(async () =>
        {
            var items = (await admin.GetOk($"/v1/webhooks/{id}/deliveries"))["items"]!.AsArray();
            return items.Count == 1 && (int)items[0]!["attempts"]! >= 1;
        }, "a refused attempt");
        var delivery = (await admin.GetOk($"/v1/webhooks/{id}/deliveries"))["items"]!.AsArray()[0]!;
        Assert.Contains("Refused: localhost resolves only to loopback", (string?)delivery["lastError"]);
        Assert.Null(delivery["lastStatusCode"]?.GetValue<int?>());
        Assert.Empty(receiver.Requests);
    }
}
