using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Articles.ArticleTestData;

namespace ContentApi.Tests.Articles;

/// <summary>Publishing, scheduling and unpublishing /v1/articles.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticlePublishingTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    private async Task<List<Guid>> ListIds(HttpClient client, string query) =>
        (await client.GetOk($"/v1/articles?{query}"))["items"]!.AsArray().Ids();

    [Fact]
    public async Task Publish_WithoutBody_PublishesNow_AndReadersSeeIt()
    {
        var tag = TestData.Token("pub");
        var created = await Create(TestData.Article(tags: [tag]));
        await (await reader.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ListIds(reader, $"tag={tag}"));
        var before = DateTime.UtcNow;

        var response = await admin.PostAsync($"/v1/articles/{created.Id()}/publish", null);
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal("published", (string?)body["status"]);
        Assert.Equal(2, (int)body["version"]!);
        Assert.InRange(Time(body["publishedAt"]), before.AddSeconds(-5), DateTime.UtcNow.AddSeconds(5));
        var seen = await reader.GetOk($"/v1/articles/{created["slug"]}");
        Assert.Equal("published", (string?)seen["status"]);
        Assert.Equal([created.Id()], await ListIds(reader, $"tag={tag}"));
    }

    [Fact]
    public async Task Publish_WithFutureDate_SchedulesIt_InvisibleToReadersUntilThen()
    {
        var tag = TestData.Token("sched");
        var created = await Create(TestData.Article(tags: [tag]));
        var at = WholeSeconds(DateTime.UtcNow.AddDays(3));

        var body = await (await admin.PostAsJsonAsync($"/v1/articles/{created.Id()}/publish", new { publishedAt = at })).Json();

        Assert.Equal("published", (string?)body["status"]);
        Assert.Equal(at, Time(body["publishedAt"]));
        await (await reader.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{created["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ListIds(reader, $"tag={tag}"));
        Assert.Empty(await ListIds(reader, $"tag={tag}&q=ancam"));
        Assert.Equal("published", (string?)(await admin.GetOk($"/v1/articles/{created.Id()}"))["status"]);
        Assert.Equal([created.Id()], await ListIds(admin, $"tag={tag}"));
    }

    [Fact]
    public async Task Publish_WithNearFutureDate_AppearsToReadersByItselfWhenTheTimeComes()
    {
        var tag = TestData.Token("soon");
        var created = await Create(TestData.Article(tags: [tag]));
        var at = DateTime.UtcNow.AddSeconds(1.5);
        await (await admin.PostAsJsonAsync($"/v1/articles/{created.Id()}/publish", new { publishedAt = at })).Json();

        await (await reader.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await Task.Delay(at - DateTime.UtcNow + TimeSpan.FromMilliseconds(300));

        await reader.GetOk($"/v1/articles/{created.Id()}");
        Assert.Equal([created.Id()], await ListIds(reader, $"tag={tag}"));
    }

    [Fact]
    public async Task Publish_WithPastDate_KeepsThatDate()
    {
        var created = await Create(TestData.Article());
        var at = new DateTime(2023, 9, 6, 10, 15, 0, DateTimeKind.Utc);
        var body = await (await admin.PostAsJsonAsync($"/v1/articles/{created.Id()}/publish", new { publishedAt = at })).Json();
        Assert.Equal("2023-09-06T10:15:00Z", (string?)body["publishedAt"]);
        await reader.GetOk($"/v1/articles/{created.Id()}");
    }

    [Fact]
    public async Task Unpublish_MakesItADraft_AndHidesItFromReaders()
    {
        var created = await admin.CreatePublishedArticle();
        await reader.GetOk($"/v1/articles/{created.Id()}");

        var response = await admin.PostAsync($"/v1/articles/{created.Id()}/unpublish", null);
        var body = await response.Json();

        Assert.Equal("draft", (string?)body["status"]);
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal("\"2\"", response.ETag());
        await (await reader.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{created["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Publish_WithIfMatch_ChecksTheVersion()
    {
        var created = await Create(TestData.Article());
        await (await admin.Patch($"/v1/articles/{created.Id()}", new { title = "Versi dua" }, "\"1\"")).Json();

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/v1/articles/{created.Id()}/publish");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var problem = await (await admin.SendAsync(stale)).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        Assert.Equal(2, (int)problem["currentVersion"]!);
        Assert.Equal("draft", (string?)(await admin.GetOk($"/v1/articles/{created.Id()}"))["status"]);

        var current = new HttpRequestMessage(HttpMethod.Post, $"/v1/articles/{created.Id()}/publish");
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var body = await (await admin.SendAsync(current)).Json();
        Assert.Equal("published", (string?)body["status"]);
        Assert.Equal(3, (int)body["version"]!);
    }

    [Fact]
    public async Task PublishAndUnpublish_UnknownArticle_Return404()
    {
        await (await admin.PostAsync($"/v1/articles/{Guid.CreateVersion7()}/publish", null)).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsync($"/v1/articles/{Guid.CreateVersion7()}/unpublish", null)).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task PublishAndUnpublish_ByAnonymous_Return401()
    {
        var created = await Create(TestData.Article());
        await (await reader.PostAsync($"/v1/articles/{created.Id()}/publish", null)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.PostAsync($"/v1/articles/{created.Id()}/unpublish", null)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("draft", (string?)(await admin.GetOk($"/v1/articles/{created.Id()}"))["status"]);
    }
}
