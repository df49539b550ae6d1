using System.Net;
using System.Security.Cryptography;
using System.Text;
using ContentApi.Tests.Delivery;
using ContentApi.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Webhooks;

/// <summary>
/// Signatures against Standard Webhooks' published test vector (standard-webhooks/standard-webhooks, libraries/*/tests:
/// the same key, id, timestamp, body and signature in every official library), with the HMAC computed here from the
/// spec rather than by the package the API signs with.
/// </summary>
public sealed class WebhookSigningTests() : WebhookHost
{
    private const string VectorKey = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /// <summary>The spec's signature: v1, then base64 HMAC-SHA256 keyed with the secret's base64 after whsec_, over id.timestamp.body.</summary>
    private static string Spec(string key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key["whsec_".Length..]),
            Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    [Fact]
    public void TheTestVector_IsSignedAsPublished_ThroughTheStoredSecret()
    {
        Assert.Equal(VectorSignature, Spec(VectorKey, VectorId, VectorTimestamp, VectorBody));
        var secrets = factory.Services.GetRequiredService<WebhookSecrets>();
        var stored = secrets.Protect(VectorKey);
        Assert.DoesNotContain("MfKQ9r8G", stored, StringComparison.Ordinal);
        Assert.Equal(VectorSignature, secrets.Signer(stored).Sign(VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorBody));
    }

    [Fact]
    public async Task WhatTheDispatcherSends_IsSignedPerTheSpec()
    {
        var (id, _) = await Subscribe(["person.created"]);
        var secrets = factory.Services.GetRequiredService<WebhookSecrets>();
        await DeliveryTestKit.Execute(factory.ConnectionString, "update webhook_subscriptions set secret = @Secret where id = @Id",
            ("Secret", secrets.Protect(VectorKey)), ("Id", id));
        receiver.Secrets.Clear();
        receiver.Secrets.Add(VectorKey);
        await admin.CreatePerson("Penanda Tangan");
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "the delivery");
        var sent = Assert.Single(receiver.Requests);
        Assert.True(sent.Verified, "the receiver verifies it with the StandardWebhooks package");
        Assert.Equal(Spec(VectorKey, sent.Id, long.Parse(sent.Timestamp, System.Globalization.CultureInfo.InvariantCulture), sent.Body), sent.Signature);
    }
}
