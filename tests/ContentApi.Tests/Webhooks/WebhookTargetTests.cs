using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Webhooks;

/// <summary>SSRF: with the default settings a subscription must be https and must not point into private networks.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTargetTests(ContentApiFactory factory)
{
    [Theory]
    [InlineData("http://example.org/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://user:pw@example.org/hook")]
    public async Task PrivateOrPlainTargets_AreRefused(string url)
    {
        var response = await factory.Admin().PostAsJsonAsync("/v1/webhooks", new { url, events = new[] { "*" } });
        await response.ValidationProblem("url", HttpStatusCode.UnprocessableEntity);
    }
}
