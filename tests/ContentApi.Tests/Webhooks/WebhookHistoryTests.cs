using System.Net;
using ContentApi.Tests.Delivery;
using ContentApi.Tests.Observability;
using Npgsql;

namespace ContentApi.Tests.Webhooks;

/// <summary>What operators see of the outbox on /metrics (attempts by outcome, delivery lag, outbox lag), and the purge of old deliveries.</summary>
/// <remarks>Runs alone with the other metrics tests: the attempt counters are process-wide, so only then can a move be ours.</remarks>
[Collection(MetricsCollection.Name)]
public sealed class WebhookHistoryTests() : WebhookHost(new Dictionary<string, string> { ["Webhooks:PurgeIntervalSeconds"] = "1" })
{
    private string Db => new NpgsqlConnectionStringBuilder(factory.ConnectionString).Database!;

    [Fact]
    public async Task Metrics_CountAttemptsByOutcome_AndShowTheOutboxLag()
    {
        var (id, _) = await Subscribe(["person.created"]);
        var before = await MetricsTests.ScrapeAsync(admin);
        receiver.Answer = (_, n) => n == 1 ? (503, TimeSpan.Zero) : (200, TimeSpan.Zero);
        await admin.CreatePerson("Metrik Pengirim");
        await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(20), "a failure and its retry");
        var after = await MetricsTests.ScrapeAsync(admin);
        double Moved(string name, params string[] labels) => MetricsTests.Sum(after, name, labels) - MetricsTests.Sum(before, name, labels);
        Assert.True(Moved("contentapi_webhook_attempts_total", "outcome=\"retry\"") >= 1, "the 503 counted as a retry");
        Assert.True(Moved("contentapi_webhook_attempts_total", "outcome=\"delivered\"") >= 1, "the delivery counted");
        Assert.True(Moved("contentapi_webhook_delivery_lag_seconds_count") >= 1, "the delivery's lag recorded");

        // A resource's queue held by an event retried in an hour: the event behind it, due ten minutes ago, is the lag.
        var entity = Guid.NewGuid();
        await DeliveryTestKit.Execute(factory.ConnectionString, """
            insert into webhook_deliveries (id, subscription_id, event, entity, entity_id, version, payload, next_attempt_at)
            values (gen_random_uuid(), @Sub, 'person.updated', 'person', @Entity, 1, '{}', now() + interval '1 hour'),
                   (gen_random_uuid(), @Sub, 'person.updated', 'person', @Entity, 2, '{}', now() - interval '10 minutes')
            """, ("Sub", id), ("Entity", entity));
        var lag = $"db=\"{Db}\"";
        await WaitUntil(async () => MetricsTests.Sum(await MetricsTests.ScrapeAsync(admin), "contentapi_webhook_outbox_lag_seconds", lag) >= 600,
            "the held event's ten minutes on the outbox lag gauge");
        await DeliveryTestKit.Execute(factory.ConnectionString, "delete from webhook_deliveries where entity_id = @Entity", ("Entity", entity));
        await WaitUntil(async () => MetricsTests.Sum(await MetricsTests.ScrapeAsync(admin), "contentapi_webhook_outbox_lag_seconds", lag) < 60,
            "the gauge back down once nothing waits");
    }

    [Fact]
    public async Task DeliveredAndDeadDeliveries_ArePurgedAfterTheRetention_PendingOnesAndRecentOnesStay()
    {
        var (id, _) = await Subscribe(["source.created"]);
        var cs = factory.ConnectionString;
        await DeliveryTestKit.Execute(cs, """
            insert into webhook_deliveries (id, subscription_id, event, payload, status, created_at, next_attempt_at)
            select gen_random_uuid(), @Sub, 'old-' || s, '{}', s, now() - interval '31 days', now() + interval '1 day'
            from unnest(array['delivered', 'dead', 'pending']) s, generate_series(1, 1200);
            insert into webhook_deliveries (id, subscription_id, event, payload, status, created_at)
            values (gen_random_uuid(), @Sub, 'recent-delivered', '{}', 'delivered', now() - interval '29 days');
            """, ("Sub", id));
        Task<long> Count(string @event) =>
            DeliveryTestKit.Scalar(cs, "select count(*) from webhook_deliveries where event = @Event", ("Event", @event));
        await WaitUntil(async () => await Count("old-delivered") == 0 && await Count("old-dead") == 0, "the old delivered and dead rows purged");
        Assert.Equal(1200, await Count("old-pending"));
        Assert.Equal(1, await Count("recent-delivered"));
    }
}
