using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Delivery;

/// <summary>Idempotency-Key on the four creates: a retry returns the stored first response and creates nothing twice.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    /// <summary>A create request whose rows the test can count: (url, body, SQL counting rows with @m, value of @m).</summary>
    private async Task<(string Url, object Body, string CountSql, string Match)> Create(string resource)
    {
        var slug = TestData.Slug(resource.TrimEnd('s'));
        switch (resource)
        {
            case "articles":
                return ("/v1/articles", TestData.Article(slug: slug), "select count(*) from articles where slug = @m", slug);
            case "people":
                return ("/v1/people", new { slug, name = "Jake Sullivan", aliases = new[] { "Sullivan" } }, "select count(*) from people where slug = @m", slug);
            case "sources":
                return ("/v1/sources", new { slug, name = "Reuters", kind = "agency", url = "https://www.reuters.com", country = "GB" },
                    "select count(*) from sources where slug = @m", slug);
            case "quotes":
                var speaker = await admin.CreatePerson();
                var text = $"Kutipan {DeliveryTestKit.Marker()} yang diulang.";
                return ("/v1/quotes", new { text, language = "id", type = "direct", speakerId = speaker.Id(), saidOn = "2023-09-07", articleIds = Array.Empty<Guid>() },
                    "select count(*) from quotes where text = @m", text);
            default:
                throw new ArgumentOutOfRangeException(nameof(resource));
        }
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static bool Replayed(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";

    private static Uri Absolute(HttpResponseMessage response) =>
        new(response.RequestMessage!.RequestUri!, response.Headers.Location!);

    private Task<long> Count(string sql, string match) => DeliveryTestKit.Scalar(factory.ConnectionString, sql, ("m", match));

    [Theory]
    [InlineData("articles")]
    [InlineData("quotes")]
    [InlineData("people")]
    [InlineData("sources")]
    public async Task Retry_WithSameKeyAndBody_ReturnsTheFirstResponse_AndCreatesOneRow(string resource)
    {
        var (url, body, countSql, match) = await Create(resource);
        var key = Guid.NewGuid().ToString();

        var first = await Post(admin, url, body, key);
        var created = await first.Json(HttpStatusCode.Created);
        Assert.False(Replayed(first), "the first response is not a replay");
        var retry = await Post(admin, url, body, key);
        var replayed = await retry.Json(HttpStatusCode.Created);

        Assert.True(Replayed(retry), "a retry carries Idempotent-Replayed: true");
        Assert.Equal(created.Id(), replayed.Id());
        Assert.True(JsonNode.DeepEquals(created, replayed), $"replayed body differs:\n{created}\n{replayed}");
        Assert.Equal(Absolute(first), Absolute(retry));
        Assert.EndsWith($"{url}/{created.Id()}", Absolute(retry).AbsolutePath);
        Assert.Equal(first.ETag(), retry.ETag());
        Assert.Equal(1, await Count(countSql, match));
        // The stored resource is really there.
        Assert.Equal(created.Id(), (await admin.GetOk($"{url}/{created.Id()}")).Id());
    }

    [Fact]
    public async Task SameKey_WithADifferentBody_Returns422AndCreatesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var slug = TestData.Slug("person");
        var first = await Post(admin, "/v1/people", new { slug, name = "Jake Sullivan", aliases = Array.Empty<string>() }, key);
        await first.Json(HttpStatusCode.Created);

        var otherSlug = TestData.Slug("person");
        var conflict = await Post(admin, "/v1/people", new { slug = otherSlug, name = "Kamala Harris", aliases = Array.Empty<string>() }, key);
        var problem = await conflict.ValidationProblem("Idempotency-Key", HttpStatusCode.UnprocessableEntity);
        Assert.False(Replayed(conflict));
        Assert.NotNull(problem["detail"]);
        Assert.Equal(0, await Count("select count(*) from people where slug = @m", otherSlug));

        // The same key on another create endpoint is another request too.
        var elsewhere = await Post(admin, "/v1/sources", new { slug = TestData.Slug("source"), name = "AFP", kind = "agency" }, key);
        await elsewhere.ValidationProblem("Idempotency-Key", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task TwentyConcurrentRetries_AllGetTheSameResource_AndOneRowExists()
    {
        var (url, body, countSql, match) = await Create("articles");
        var key = Guid.NewGuid().ToString();

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var response = await Post(admin, url, body, key);
            return (Response: response, Text: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);

        foreach (var (response, text) in results)
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {text}");
        var ids = results.Select(r => JsonNode.Parse(r.Text)!.Id()).Distinct().ToList();
        Assert.Single(ids);
        Assert.Equal(19, results.Count(r => Replayed(r.Response)));
        Assert.Single(results.Select(r => Absolute(r.Response)).Distinct());
        Assert.Equal(1, await Count(countSql, match));
    }

    [Fact]
    public async Task DifferentPrincipals_MayUseTheSameKeyIndependently()
    {
        var key = Guid.NewGuid().ToString();
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        var slugA = TestData.Slug("person");
        var slugB = TestData.Slug("person");

        var a = await (await Post(admin, "/v1/people", new { slug = slugA, name = "Jake Sullivan", aliases = Array.Empty<string>() }, key)).Json(HttpStatusCode.Created);
        var bResponse = await Post(editor, "/v1/people", new { slug = slugB, name = "Kamala Harris", aliases = Array.Empty<string>() }, key);
        var b = await bResponse.Json(HttpStatusCode.Created);
        Assert.False(Replayed(bResponse), "another principal's first use of the key is not a replay of someone else's");
        Assert.NotEqual(a.Id(), b.Id());
        Assert.Equal(slugB, (string?)b["slug"]);

        // Each principal's retry replays its own first response.
        var bRetry = await Post(editor, "/v1/people", new { slug = slugB, name = "Kamala Harris", aliases = Array.Empty<string>() }, key);
        Assert.True(Replayed(bRetry));
        Assert.Equal(b.Id(), (await bRetry.Json(HttpStatusCode.Created)).Id());
        var aRetry = await Post(admin, "/v1/people", new { slug = slugA, name = "Jake Sullivan", aliases = Array.Empty<string>() }, key);
        Assert.Equal(a.Id(), (await aRetry.Json(HttpStatusCode.Created)).Id());
        Assert.Equal(1, await Count("select count(*) from people where slug = @m", slugA));
        Assert.Equal(1, await Count("select count(*) from people where slug = @m", slugB));
    }

    [Fact]
    public async Task FailedCreate_ReleasesTheKey_SoACorrectedRetryRuns()
    {
        var taken = await admin.CreatePerson();
        var key = Guid.NewGuid().ToString();
        var clash = await Post(admin, "/v1/people", new { slug = (string)taken["slug"]!, name = "Dup", aliases = Array.Empty<string>() }, key);
        await clash.Problem(HttpStatusCode.Conflict, "slug_taken");

        var slug = TestData.Slug("person");
        var corrected = await Post(admin, "/v1/people", new { slug, name = "Dup", aliases = Array.Empty<string>() }, key);
        Assert.Equal(slug, (string?)(await corrected.Json(HttpStatusCode.Created))["slug"]);
        Assert.False(Replayed(corrected));
    }

    [Fact]
    public async Task KeyOlderThan24Hours_HasExpired_AndTheKeyCanBeUsedAgain()
    {
        var key = Guid.NewGuid().ToString();
        var first = await (await Post(admin, "/v1/people", new { slug = TestData.Slug("person"), name = "Old", aliases = Array.Empty<string>() }, key)).Json(HttpStatusCode.Created);

        // Age the stored key by 25 hours.
        await DeliveryTestKit.Execute(factory.ConnectionString,
            "update idempotency_keys set created_at = created_at - interval '25 hours' where key = @k", ("k", key));

        var slug = TestData.Slug("person");
        var again = await Post(admin, "/v1/people", new { slug, name = "New", aliases = Array.Empty<string>() }, key);
        var created = await again.Json(HttpStatusCode.Created);
        Assert.False(Replayed(again));
        Assert.NotEqual(first.Id(), created.Id());
        Assert.Equal(slug, (string?)created["slug"]);
    }

    [Fact]
    public async Task InvalidKey_Returns400()
    {
        var response = await Post(admin, "/v1/people", new { slug = TestData.Slug("person"), name = "X", aliases = Array.Empty<string>() }, new string('k', 256));
        await response.ValidationProblem("Idempotency-Key");
    }
}
