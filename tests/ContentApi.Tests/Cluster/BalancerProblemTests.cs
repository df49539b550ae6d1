using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContentApi.Tests.Conformance;
using ContentApi.Tests.Reliability;
using ContentApi.Tests.Reliability.Fuzz;
using Xunit.Abstractions;

namespace ContentApi.Tests.Cluster;

/// <summary>
/// Issue 22, item 4, in the deployed topology: HAProxy from scripts/compose/haproxy.cfg in front of the app on a real
/// Kestrel socket. What Kestrel refuses with an empty body before the app runs (an encoded NUL in the path, an invalid
/// Host) and what HAProxy answers itself (no node up) are problem+json; oversized requests reach the app's 414/431.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class BalancerProblemTests(ITestOutputHelper output) : IAsyncLifetime
{
    private KestrelApp app = null!;
    private Balancer balancer = null!;

    public async Task InitializeAsync()
    {
        app = KestrelApp.Start();
        // Ready before the balancer checks it, as scripts/cluster.sh waits for its nodes.
        using (var direct = new HttpClient { BaseAddress = app.BaseAddress })
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/health/ready")).StatusCode);
        var node = $"127.0.0.1:{app.BaseAddress.Port}";
        balancer = await Balancer.StartAsync(node, node);
        await balancer.WaitUntilServingAsync();
    }

    public async Task DisposeAsync()
    {
        balancer.Dispose();
        output.WriteLine("haproxy: " + balancer.Log);
        await app.DisposeAsync();
    }

    /// <summary>Through HAProxy, every answer validated against openapi/v1.json like the app's own clients.</summary>
    private HttpClient ThroughBalancer() =>
        new(new ContractValidatingHandler(new SocketsHttpHandler())) { BaseAddress = balancer.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task AnEncodedNulInThePath_IsA400Problem_BehindHAProxy_AndAnEmpty400FromKestrelAlone()
    {
        var behind = await RawHttp.SendAsync(balancer.Port, "GET", "/v1/articles/a%00b");
        var problem = AssertProblem(behind, 400, "validation_failed");
        Assert.Contains("%00", (string)problem["detail"]!);
        Assert.NotNull(problem["errors"]?["path"]);

        // Kestrel alone refuses it while parsing the request line (Http1Connection.ParseTarget), before any middleware.
        var direct = await RawHttp.SendAsync(app.BaseAddress.Port, "GET", "/v1/articles/a%00b");
        Assert.Equal(400, direct.Status);
        Assert.Equal("0", direct.Header("Content-Length"));
        Assert.Null(direct.Header("Content-Type"));
        Assert.Equal("", direct.Body);

        // Controls: another control character in the path and a NUL in the query reach the app, through HAProxy too.
        using var client = ThroughBalancer();
        await (await client.GetAsync("/v1/articles/a%01b")).Problem(HttpStatusCode.NotFound, "not_found");
        var query = await (await client.GetAsync("/v1/articles?q=a%00b")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(query["errors"]?["q"]);
        Assert.NotNull(query["traceId"]);
        // The same request through HttpClient: validated against the contract, with no exemption for an empty body.
        await (await client.GetAsync("/v1/articles/a%00b")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task KestrelsOtherEmpty400s_AreProblems_BehindHAProxy()
    {
        var behind = await RawHttp.SendAsync(balancer.Port, "GET", "/health/live", host: "a/b");
        AssertProblem(behind, 400, "validation_failed");
        var direct = await RawHttp.SendAsync(app.BaseAddress.Port, "GET", "/health/live", host: "a/b");
        Assert.Equal(400, direct.Status);
        Assert.Equal("", direct.Body);
        // Control: a valid Host is served, and the app's own 400 passes HAProxy untouched (its traceId is the app's).
        Assert.Equal(200, (await RawHttp.SendAsync(balancer.Port, "GET", "/health/live")).Status);
        using var client = ThroughBalancer();
        var own = await (await client.GetAsync("/v1/articles?limit=0")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(own["errors"]?["limit"]);
        Assert.NotNull(own["traceId"]);
    }

    [Fact]
    public async Task OversizedRequests_ReachTheApp_ThroughHAProxy_And_GetItsProblems()
    {
        using var client = ThroughBalancer();
        var longQuery = await (await client.GetAsync("/v1/articles?q=" + new string('a', 20_000))).Problem(HttpStatusCode.RequestUriTooLong, "uri_too_long");
        Assert.Contains("4096", (string)longQuery["detail"]!);

        var bigHeader = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        bigHeader.Headers.TryAddWithoutValidation("X-Padding", new string('x', 40 * 1024));
        await (await client.SendAsync(bigHeader)).Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");

        var manyHeaders = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        for (var i = 0; i < 300; i++)
            manyHeaders.Headers.TryAddWithoutValidation($"X-Many-{i}", "1");
        await (await client.SendAsync(manyHeaders)).Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");

        // Control: under the app's limits the same requests are served.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles?q=" + new string('a', 100))).StatusCode);
    }

    [Fact]
    public async Task NoNodeUp_IsA503Problem_WithRetryAfter()
    {
        var dead = $"127.0.0.1:{Reliability.Net.FreePort()}";
        using var down = await Balancer.StartAsync(dead, dead);
        var answer = await RawHttp.SendAsync(down.Port, "GET", "/v1/articles");
        AssertProblem(answer, 503, "unavailable");
        Assert.Equal("1", answer.Header("Retry-After"));
        // Control: the balancer in front of the live app serves the same request.
        Assert.Equal(200, (await RawHttp.SendAsync(balancer.Port, "GET", "/v1/articles")).Status);
    }

    [Fact]
    public void EveryErrorFile_IsAProblemOfItsOwnStatus_WithAnExactContentLength()
    {
        var contract = Contract.Load();
        var files = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(Balancer.ConfigFile)!, "errors"), "*.http");
        Assert.True(files.Length >= 6, $"only {files.Length} error files");
        var config = File.ReadAllText(Balancer.ConfigFile);
        foreach (var file in files)
        {
            var name = "errors/" + Path.GetFileName(file);
            Assert.True(config.Contains(name, StringComparison.Ordinal), $"{name} is not used by haproxy.cfg");
            var bytes = File.ReadAllBytes(file);
            var text = Encoding.UTF8.GetString(bytes);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(end > 0, $"{name}: no CRLF CRLF after the head");
            var head = text[..end].Split("\r\n");
            var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = head.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
            var body = bytes[(Encoding.UTF8.GetByteCount(text[..end]) + 4)..];
            Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["content-length"]);
            Assert.Equal("application/problem+json", headers["content-type"]);
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.Empty(contract.Validate(problem, new JsonObject { ["$ref"] = "#/components/schemas/Problem" }));
            Assert.Equal(status, (int)problem["status"]!);
            Assert.Equal($"urn:contentapi:problem:{problem["code"]}", (string)problem["type"]!);
            Assert.Contains((string)problem["code"]!, contract.ProblemCodes);
        }
    }

    private static JsonObject AssertProblem(RawHttp.Answer answer, int status, string code)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer.Status}: {answer.Body}");
        Assert.Equal("application/problem+json", answer.Header("Content-Type"));
        var problem = JsonNode.Parse(answer.Body)!.AsObject();
        Assert.Equal(status, (int)problem["status"]!);
        Assert.Equal(code, (string)problem["code"]!);
        Assert.Equal($"urn:contentapi:problem:{code}", (string)problem["type"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }
}
