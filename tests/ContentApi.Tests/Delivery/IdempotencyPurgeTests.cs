using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Delivery;

/// <summary>
/// Expired idempotency keys are deleted in the background, batch by batch, and a flood of distinct keys cannot grow the
/// table past Idempotency:MaxKeys; live keys still replay.
/// </summary>
public sealed class IdempotencyPurgeTests
{
    private static Task<long> Count(string cs, string where) =>
        DeliveryTestKit.Scalar(cs, "select count(*) from idempotency_keys where " + where);

    [Fact]
    public async Task ExpiredKeys_ArePurgedInBatches_LiveKeysStayAndStillReplay()
    {
        var factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
        {
            ["Idempotency:PurgeIntervalSeconds"] = "1",
            ["Idempotency:PurgeBatchSize"] = "500",
        });
        try
        {
            var cs = factory.ConnectionString;
            var admin = factory.Admin();
            var body = new { slug = TestData.Slug("purge"), name = "Purge Tetap" };
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "live-key");
            Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(request)).StatusCode);
            // 2,300 expired keys (several batches), 40 claims abandoned two hours ago, 50 fresh ones of another client.
            await DeliveryTestKit.Execute(cs, """
                insert into idempotency_keys (principal, key, request_hash, status, body, created_at)
                select 'flood', 'old-' || i, '\x00', 201, '{}', now() - interval '25 hours' - i * interval '1 second' from generate_series(1, 2300) i;
                insert into idempotency_keys (principal, key, request_hash, created_at)
                select 'flood', 'abandoned-' || i, '\x00', now() - interval '2 hours' from generate_series(1, 40) i;
                insert into idempotency_keys (principal, key, request_hash, status, body, created_at)
                select 'fresh', 'new-' || i, '\x00', 201, '{}', now() - interval '23 hours' from generate_series(1, 50) i;
                """);
            Assert.Equal(2340, await Count(cs, "principal = 'flood'"));

            await DeliveryTestKit.WaitFor(async () => await Count(cs, "principal = 'flood'") == 0, "the expired and abandoned keys are purged");
            Assert.Equal(50, await Count(cs, "principal = 'fresh'"));
            var retry = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = JsonContent.Create(body) };
            retry.Headers.Add("Idempotency-Key", "live-key");
            var replayed = await admin.SendAsync(retry);
            Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
            Assert.True(replayed.Headers.Contains("Idempotent-Replayed"), "the live key replays its stored response");
        }
        finally
        {
            await factory.StopAsync();
        }
    }

    [Fact]
    public async Task AFloodOfDistinctKeys_IsCutBackToMaxKeys_NewestKept()
    {
        var factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
        {
            ["Idempotency:PurgeIntervalSeconds"] = "1",
            ["Idempotency:PurgeBatchSize"] = "100",
            ["Idempotency:MaxKeys"] = "300",
        });
        try
        {
            var cs = factory.ConnectionString;
            await DeliveryTestKit.Execute(cs, """
                insert into idempotency_keys (principal, key, request_hash, status, body, created_at)
                select 'flood', 'k-' || i, '\x00', 201, '{}', now() - interval '1 hour' + i * interval '1 second' from generate_series(1, 1000) i
                """);
            await DeliveryTestKit.WaitFor(async () => await Count(cs, "true") <= 300, "the table is cut back to 300 keys");
            Assert.Equal(300, await Count(cs, "true"));
            Assert.Equal(300, await Count(cs, "key in (select 'k-' || i from generate_series(701, 1000) i)"));
        }
        finally
        {
            await factory.StopAsync();
        }
    }
}
