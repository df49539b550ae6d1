using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>Counts the SQL commands each request runs, by the W3C trace id the test sends in traceparent.</summary>
public sealed class DbCommandCounter : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, int> commands = new();
    private readonly ActivityListener listener;

    public DbCommandCounter()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql")
                    commands.AddOrUpdate(activity.TraceId, 1, (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Sends the request under a fresh trace id; returns the response and how many SQL commands it ran.</summary>
    public async Task<(HttpResponseMessage Response, int Commands)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var trace = ActivityTraceId.CreateRandom();
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        await Task.Delay(50); // activities stop after the response is written
        return (response, commands.GetValueOrDefault(trace));
    }

    public void Dispose() => listener.Dispose();
}

/// <summary>
/// Request limits on a real Kestrel socket: body size (default and configured), JSON depth, array lengths, query
/// string length, page size, and slow clients. Refused requests run no SQL at all.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class LimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private KestrelApp app = null!;
    private readonly DbCommandCounter sql = new();
    private readonly Figures figures = new(output, "limits");

    public Task InitializeAsync()
    {
        app = KestrelApp.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        sql.Dispose();
        await app.DisposeAsync();
    }

    private static HttpRequestMessage Post(string url, byte[] body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        // What a careful client does with a large upload: the server can refuse before the body is sent.
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        return request;
    }

    /// <summary>An article whose one paragraph pads the JSON to exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] ArticleOfSize(int bytes, int paragraphs = 1)
    {
        var article = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestData.Article(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        article["body"] = new JsonArray(Enumerable.Range(0, paragraphs).Select(_ => (JsonNode)new JsonObject { ["type"] = "paragraph", ["text"] = "" }).ToArray());
        var empty = Encoding.UTF8.GetByteCount(article.ToJsonString());
        var padding = bytes - empty;
        Assert.True(padding >= paragraphs, "the article is already larger than asked");
        var blocks = article["body"]!.AsArray();
        for (var i = 0; i < paragraphs; i++)
            blocks[i]!["text"] = new string('x', padding / paragraphs + (i < padding % paragraphs ? 1 : 0));
        var json = Encoding.UTF8.GetBytes(article.ToJsonString());
        Assert.Equal(bytes, json.Length);
        return json;
    }

    private static async Task<JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status, IReadOnlyList<string>? documentedCodes = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {Text.Shorten(text)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int?)problem["status"]);
        var code = (string?)problem["code"];
        Assert.False(string.IsNullOrEmpty(code), text);
        if (documentedCodes is not null)
            Assert.True(documentedCodes.Contains(code!), $"code '{code}' is not one of the codes openapi/v1.json documents: {string.Join(", ", documentedCodes)}");
        return problem;
    }

    [Fact]
    public async Task BodyOverTheDefaultLimit_Is413Problem_BeforeAnySql_WhileAFullMegabyteArticleIsAccepted()
    {
        using var client = app.Client();
        const int limit = 1024 * 1024;

        // 50 paragraphs of about 20,000 characters: the largest article a newsroom plausibly sends fits.
        var (accepted, acceptedCommands) = await sql.SendAsync(client, Post("/v1/articles", ArticleOfSize(limit - 16, paragraphs: 53)));
        // The positive control: the counter sees the SQL of an accepted create, so a 0 below means none ran.
        Assert.True(acceptedCommands > 0, "the SQL counter saw no command for an accepted create");
        Assert.True(accepted.StatusCode == HttpStatusCode.Created, $"a {limit - 16}-byte article: {(int)accepted.StatusCode} {Text.Shorten(await accepted.Content.ReadAsStringAsync())}");

        var clock = Stopwatch.StartNew();
        var (refused, commands) = await sql.SendAsync(client, Post("/v1/articles", ArticleOfSize(limit + 1, paragraphs: 53)));
        figures.Add("413 for 1 MiB + 1 byte (ms)", clock.ElapsedMilliseconds);
        var problem = await AssertProblem(refused, HttpStatusCode.RequestEntityTooLarge, Contract.Load().ProblemCodes);
        Assert.Equal("payload_too_large", (string?)problem["code"]);
        Assert.Equal(0, commands);

        // Without Content-Length (chunked), Kestrel counts as it reads and stops at the limit too.
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/articles")
        {
            Content = new StreamContent(new MemoryStream(ArticleOfSize(2 * limit, paragraphs: 100))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        var (chunkedRefused, chunkedCommands) = await sql.SendAsync(client, chunked);
        await AssertProblem(chunkedRefused, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, chunkedCommands);
    }

    [Fact]
    public async Task ASmallerConfiguredBodyLimit_IsEnforced()
    {
        await using var small = KestrelApp.Start(new Dictionary<string, string> { ["Limits:MaxBodyBytes"] = "4096" });
        using var client = small.Client();
        var under = await client.SendAsync(Post("/v1/articles", ArticleOfSize(4000)));
        Assert.True(under.StatusCode == HttpStatusCode.Created, $"{(int)under.StatusCode} {await under.Content.ReadAsStringAsync()}");
        var over = await client.SendAsync(Post("/v1/articles", ArticleOfSize(4097)));
        await AssertProblem(over, HttpStatusCode.RequestEntityTooLarge);
        var person = await client.SendAsync(Post("/v1/people", Encoding.UTF8.GetBytes($"{{\"slug\":\"{TestData.Slug("p")}\",\"name\":\"{new string('n', 5000)}\"}}")));
        await AssertProblem(person, HttpStatusCode.RequestEntityTooLarge);
        figures.Add("configured Limits:MaxBodyBytes", 4096);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public async Task DeeplyNestedJson_Is400_BeforeAnySql(int depth)
    {
        using var client = app.Client();
        var nested = new string('[', depth) + new string(']', depth);
        var clock = Stopwatch.StartNew();
        var (post, postCommands) = await sql.SendAsync(client, Post("/v1/articles", Encoding.UTF8.GetBytes($"{{\"tags\":{nested},\"slug\":\"a\"}}")));
        var elapsed = clock.ElapsedMilliseconds;
        await AssertProblem(post, HttpStatusCode.BadRequest);
        Assert.Equal(0, postCommands);
        var (fine, fineCommands) = await sql.SendAsync(client, Post("/v1/articles", Encoding.UTF8.GetBytes(
            $"{{\"slug\":\"{TestData.Slug("depth")}\",\"title\":\"T\",\"language\":\"id\",\"status\":\"draft\",\"body\":[],\"tags\":[\"a\"]}}")));
        Assert.True(fine.StatusCode == HttpStatusCode.Created, $"control: {(int)fine.StatusCode} {await fine.Content.ReadAsStringAsync()}");
        Assert.True(fineCommands > 0, "the SQL counter saw no command for an accepted create");

        var article = await client.CreateArticle(TestData.Article());
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/articles/{article.Id()}")
        {
            Content = new StringContent($"{{\"body\":{nested}}}", Encoding.UTF8, "application/merge-patch+json"),
        };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var (patched, patchCommands) = await sql.SendAsync(client, patch);
        await AssertProblem(patched, HttpStatusCode.BadRequest);
        Assert.Equal(0, patchCommands);
        figures.Add($"400 for JSON nested {depth} deep (ms)", elapsed);
    }

    [Theory]
    [InlineData("tags", 51)]
    [InlineData("tags", 100_000)]
    [InlineData("quoteIds", 501)]
    [InlineData("body", 501)]
    [InlineData("people", 201)]
    public async Task ArraysOverTheirCap_Are400_BeforeAnySql(string property, int count)
    {
        using var client = app.Client();
        var article = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestData.Article(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        article[property] = property switch
        {
            "tags" => new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)("t" + (i % 10).ToString(CultureInfo.InvariantCulture))).ToArray()),
            "quoteIds" => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)Guid.NewGuid().ToString()).ToArray()),
            "body" => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["type"] = "paragraph", ["text"] = "p" }).ToArray()),
            _ => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["personId"] = Guid.NewGuid().ToString(), ["role"] = "mentioned" }).ToArray()),
        };
        var (response, commands) = await sql.SendAsync(client, Post("/v1/articles", Encoding.UTF8.GetBytes(article.ToJsonString())));
        await response.ValidationProblem(property);
        Assert.Equal(0, commands);
    }

    [Fact]
    public async Task QueryStringOverTheLimit_Is414Problem_AndTheLimitItselfIsAccepted()
    {
        using var client = app.Client();
        const int limit = 4096;
        string Query(int length) => "?q=" + new string('a', Math.Min(200, length - 3)) + "&tag=" + new string('b', Math.Max(0, length - 3 - 200 - 5));
        var atLimit = Query(limit);
        Assert.Equal(limit, atLimit.Length);

        var ok = await client.GetAsync("/v1/articles" + atLimit);
        // 4096 characters pass the length check; the long tag is then a validation error (at most 100), not a 414.
        await AssertProblem(ok, HttpStatusCode.BadRequest);

        var (tooLong, commands) = await sql.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/v1/articles" + Query(limit + 1)));
        var problem = await AssertProblem(tooLong, HttpStatusCode.RequestUriTooLong);
        Assert.Equal(0, commands);
        Assert.Contains((string)problem["code"]!, Contract.Load().ProblemCodes);
    }

    [Fact]
    public async Task ARequestLineBeyondKestrelsLimit_IsRefusedBeforeTheApp()
    {
        // Beyond MaxRequestLineSize (8 KiB) Kestrel answers 414 itself, while parsing, with no body: the app never runs.
        using var client = app.Client();
        var (response, commands) = await sql.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/v1/articles?q=" + new string('a', 9000)));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal(0, commands);
        figures.Add("request line of 9 KiB: Kestrel's own 414, body bytes", (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("/v1/articles?limit=1000")]
    [InlineData("/v1/articles?limit=101")]
    [InlineData("/v1/quotes?limit=0")]
    [InlineData("/v1/people?limit=-1")]
    [InlineData("/v1/sources?limit=2147483648")]
    [InlineData("/v1/sync?limit=501")]
    public async Task PageSizesOutsideTheirRange_Are400_BeforeAnySql(string url)
    {
        using var client = app.Client();
        var (response, commands) = await sql.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, url));
        await response.ValidationProblem("limit");
        Assert.Equal(0, commands);
    }

    [Fact]
    public async Task TheLargestPages_AreServed()
    {
        using var client = app.Client();
        foreach (var url in new[] { "/v1/articles?limit=100", "/v1/quotes?limit=100", "/v1/sync?limit=500" })
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task SlowClients_AreCutOff_WithinTheConfiguredTimeouts()
    {
        const int headersTimeout = 2;
        await using var strict = KestrelApp.Start(new Dictionary<string, string>
        {
            ["Limits:HeadersTimeoutSeconds"] = headersTimeout.ToString(CultureInfo.InvariantCulture),
            ["Limits:MinBodyBytesPerSecond"] = "240",
        });
        var port = strict.BaseAddress.Port;

        // Slowloris: the headers arrive a byte at a time and never end. Kestrel checks timeouts once a second.
        var headers = TrickleAsync(port, Encoding.ASCII.GetBytes("GET /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
            Encoding.ASCII.GetBytes(new string('a', 10_000)), bytesPerTick: 1, tick: TimeSpan.FromMilliseconds(200), limit: TimeSpan.FromSeconds(20));
        // Slow upload: the headers promise 100 kB of JSON, then it comes at 10 bytes a second (the floor is 240 after 5 s).
        var body = "{\"slug\":\"slow\",\"title\":\"" + new string('x', 99_900) + "\"}";
        var slowBody = TrickleAsync(port,
            Encoding.ASCII.GetBytes($"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ContentApiFactory.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n"),
            Encoding.UTF8.GetBytes(body), bytesPerTick: 5, tick: TimeSpan.FromMilliseconds(500), limit: TimeSpan.FromSeconds(25));
        var (headersCut, headersAnswer) = await headers;
        var (bodyCut, bodyAnswer) = await slowBody;

        figures.Add($"slow headers (timeout {headersTimeout} s): cut off after (s)", headersCut.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        figures.Add("slow headers: server's last words", headersAnswer);
        figures.Add("slow body (240 B/s floor after 5 s grace): cut off after (s)", bodyCut.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        figures.Add("slow body: server's last words", bodyAnswer);
        // Kestrel checks its timers on a one-second heartbeat, so the cut comes a little after the timeout itself.
        Assert.True(headersCut < TimeSpan.FromSeconds(headersTimeout + 4), $"slow headers were tolerated for {headersCut}");
        Assert.True(headersCut > TimeSpan.FromSeconds(headersTimeout - 0.5), $"cut off after {headersCut}, before the configured {headersTimeout} s");
        Assert.True(bodyCut < TimeSpan.FromSeconds(10), $"a 10 B/s upload was tolerated for {bodyCut}");
    }

    /// <summary>
    /// Sends <paramref name="head"/>, then trickles <paramref name="rest"/>; returns when the server closes the
    /// connection (or answers), with how long that took and the status line it sent, if any.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, string Answer)> TrickleAsync(int port, byte[] head, byte[] rest, int bytesPerTick, TimeSpan tick, TimeSpan limit)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(head);
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        var sent = 0;
        while (clock.Elapsed < limit && !read.IsCompleted && sent < rest.Length)
        {
            try
            {
                await stream.WriteAsync(rest.AsMemory(sent, Math.Min(bytesPerTick, rest.Length - sent)));
                sent += bytesPerTick;
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(read, Task.Delay(tick));
        }
        var answer = await Task.WhenAny(read, Task.Delay(limit - clock.Elapsed > TimeSpan.Zero ? limit - clock.Elapsed : TimeSpan.Zero)) == read
            ? read.IsCompletedSuccessfully
                ? read.Result == 0 ? "connection closed" : Encoding.ASCII.GetString(buffer, 0, read.Result).Split("\r\n")[0]
                : "connection reset"
            : "still open";
        return (clock.Elapsed, answer);
    }
}
