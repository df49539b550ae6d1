using System.Net;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// Oversized requests over a real socket: Kestrel's own limits sit above the app's, so the app answers them with a
/// problem+json (414 uri_too_long, 431 headers_too_large) instead of Kestrel's empty 414/431.
/// </summary>
public sealed class ServerLimitTests : IAsyncLifetime
{
    private KestrelApp app = null!;

    public Task InitializeAsync()
    {
        app = KestrelApp.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AQueryStringOf20000Characters_IsA414Problem()
    {
        using var client = app.Client();
        var response = await client.GetAsync("/v1/articles?q=" + new string('a', 20_000));
        var problem = await response.Problem(HttpStatusCode.RequestUriTooLong, "uri_too_long");
        Assert.Contains("4096", (string)problem["detail"]!);
        // The control: a long query string under the app's limit is served.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live?pad=" + new string('a', 4_000))).StatusCode);
    }

    [Fact]
    public async Task AHeaderOf40KB_IsA431Problem()
    {
        using var client = app.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('x', 40 * 1024));
        await (await client.SendAsync(request)).Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
        var control = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        control.Headers.TryAddWithoutValidation("X-Padding", new string('x', 16 * 1024));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(control)).StatusCode);
    }

    [Fact]
    public async Task ThreeHundredHeaders_AreA431Problem()
    {
        using var client = app.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        for (var i = 0; i < 300; i++)
            request.Headers.TryAddWithoutValidation($"X-Many-{i}", "1");
        await (await client.SendAsync(request)).Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
        var control = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        for (var i = 0; i < 50; i++)
            control.Headers.TryAddWithoutValidation($"X-Many-{i}", "1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(control)).StatusCode);
    }
}
