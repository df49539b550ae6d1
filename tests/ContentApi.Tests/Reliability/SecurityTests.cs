using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// OWASP API Security Top 10 (2023), the items that apply to this API, each checked over a real socket with every
/// log entry the app writes captured: API1 object-level authorization, API2 authentication, API3 property-level
/// authorization (excessive exposure, mass assignment), API4 resource consumption, API5 function-level authorization,
/// API8 security misconfiguration, and injection.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed partial class SecurityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private KestrelApp app = null!;
    private readonly Figures figures = new(output, "security");

    public Task InitializeAsync()
    {
        app = KestrelApp.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    private async Task<(Guid Id, string Key)> NewKey(string role)
    {
        using var admin = app.Client();
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name = $"{role} {Guid.NewGuid():N}", role });
        var body = await response.Json(HttpStatusCode.Created);
        return (body.Id(), (string)body["key"]!);
    }
}
