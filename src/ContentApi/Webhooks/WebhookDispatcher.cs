using System.Diagnostics;
using System.Text;
using ContentApi.Infrastructure;
using ContentApi.Observability;
using Microsoft.Extensions.Options;

namespace ContentApi.Webhooks;

/// <summary>
/// Sends due deliveries, on every node at once if need be: each round claims rows with FOR UPDATE SKIP LOCKED and
/// keeps them locked while they are sent, so no delivery goes out twice at the same time. Failures and timeouts are
/// retried with exponential backoff and jitter, dead-lettered after the last try; 410 Gone disables the subscription.
/// Each poll also records the outbox lag, and now and then deletes deliveries older than Webhooks:RetentionDays.
/// </summary>
public sealed class WebhookDispatcher(
    DispatchRepository dispatch, WebhookSecrets secrets, IHttpClientFactory clients, IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string ClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds));
        var purged = DateTime.MinValue;
        do
        {
            try
            {
                if (DateTime.UtcNow - purged >= TimeSpan.FromSeconds(options.Value.PurgeIntervalSeconds))
                {
                    purged = DateTime.UtcNow;
                    if (await dispatch.PurgeAsync(options.Value.RetentionDays, 1000, stoppingToken) is var n and > 0)
                        ContentApiMetrics.WebhookDeliveriesPurged.Add(n);
                }
                await dispatch.ReleaseScheduledAsync(stoppingToken);
                ContentApiMetrics.WebhookOutboxLag.Record(await dispatch.OutboxLagAsync(stoppingToken), new KeyValuePair<string, object?>("db", dispatch.Database));
                // A full batch means more may be due: go again at once.
                while (await RoundAsync(stoppingToken) >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested) { }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Webhook dispatch round failed; trying again next round.");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One claim-send-record round; the number of deliveries claimed.</summary>
    public async Task<int> RoundAsync(CancellationToken ct)
    {
        var (conn, tx, claimed) = await dispatch.ClaimAsync(options.Value.BatchSize, ct);
        await using (conn)
        await using (tx)
        {
            if (claimed.Count == 0) return 0;
            var outcomes = await Task.WhenAll(claimed.Select(d => SendAsync(d, ct)));
            var judged = claimed.Zip(outcomes, Judge).ToList();
            await DispatchRepository.RecordAsync(conn, tx, judged);
            foreach (var gone in claimed.Zip(judged).Where(x => x.Second.Code == 410).Select(x => x.First.SubscriptionId).Distinct())
            {
                await DispatchRepository.DisableAsync(conn, tx, gone, $"The receiver answered 410 Gone at {DateTime.UtcNow:O}.");
                logger.LogWarning("Webhook {Subscription} answered 410 Gone; disabled.", gone);
            }
            // Not the stopping token: what was sent is recorded even while the host stops.
            await tx.CommitAsync(CancellationToken.None);
            return claimed.Count;
        }
    }

    private sealed record Outcome(int? Status, int LatencyMs, string? Error, string? Response);

    private async Task<Outcome> SendAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var now = DateTimeOffset.UtcNow;
            var id = d.Id.ToString();
            var signature = secrets.Signer(d.Secret).Sign(id, now, d.Payload);
            // During a rotation the old secret signs too: receivers that still hold it keep verifying.
            if (d.PreviousSecret is not null && d.PreviousSecretUntil > DateTime.UtcNow)
                signature += " " + secrets.Signer(d.PreviousSecret).Sign(id, now, d.Payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, d.Url)
            {
                Content = new StringContent(d.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature);
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await ReadAtMostAsync(response, 1024, ct);
            return new Outcome((int)response.StatusCode, (int)watch.ElapsedMilliseconds,
                response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}", body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      or System.Security.Cryptography.CryptographicException)
        {
            if (ct.IsCancellationRequested) throw;
            var error = e is TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException ? "timeout" : e.Message;
            return new Outcome(null, (int)watch.ElapsedMilliseconds, TextCut.Prefix(error, 500), null);
        }
    }

    private DeliveryOutcome Judge(ClaimedDelivery d, Outcome o)
    {
        if (o.Status is >= 200 and < 300)
        {
            Count("delivered");
            ContentApiMetrics.WebhookDeliveryLag.Record((DateTime.UtcNow - d.CreatedAt).TotalSeconds);
            return new DeliveryOutcome(d.Id, "delivered", 0, o.Status, o.LatencyMs, null, o.Response);
        }
        if (o.Status == 410)
        {
            Count("gone");
            return new DeliveryOutcome(d.Id, "dead", 0, o.Status, o.LatencyMs, "410 Gone: subscription disabled", o.Response);
        }
        var attempts = d.Attempts + 1;
        var dead = attempts >= options.Value.MaxAttempts;
        Count(dead ? "dead" : "retry");
        return new DeliveryOutcome(d.Id, dead ? "dead" : "pending", dead ? 0 : Backoff(attempts), o.Status, o.LatencyMs, o.Error ?? "failed", o.Response);

        static void Count(string outcome) => ContentApiMetrics.WebhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>Seconds before try number attempts + 1: the base doubled per try, with ±20 % jitter so receivers coming back are not stampeded.</summary>
    public double Backoff(int attempts) =>
        options.Value.RetryBaseSeconds * Math.Pow(2, attempts - 1) * (0.8 + 0.4 * Random.Shared.NextDouble());

    private static async Task<string?> ReadAtMostAsync(HttpResponseMessage response, int limit, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit && await stream.ReadAsync(buffer.AsMemory(read, limit - read), ct) is var n and > 0)
            read += n;
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }
}
