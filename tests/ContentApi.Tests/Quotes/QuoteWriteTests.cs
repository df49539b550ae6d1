using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Quotes.QuoteTestData;

namespace ContentApi.Tests.Quotes;

/// <summary>Creating, reading, replacing, patching and deleting /v1/quotes, and the article links written with a quote.</summary>
[Collection(ApiCollection.Name)]
public sealed class QuoteWriteTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object quote) => await admin.PostOk("/v1/quotes", quote);

    private async Task<Guid> Speaker() => (await admin.CreatePerson()).Id();

    [Fact]
    public async Task Create_Returns201WithLocationETagAndBody()
    {
        var speaker = await Speaker();
        var source = (await admin.CreateSource("AFP")).Id();
        var response = await admin.PostAsJsonAsync("/v1/quotes", Quote(speaker, Verbatim, type: "partial", sourceId: source));
        var body = await response.Json(HttpStatusCode.Created);

        var id = body.Id();
        Assert.Equal(7, id.Version);
        Assert.Equal("\"1\"", response.ETag());
        Assert.EndsWith($"/v1/quotes/{id}", response.Headers.Location!.ToString());
        Assert.Equal(Verbatim, (string?)body["text"]);
        Assert.Equal("id", (string?)body["language"]);
        Assert.Equal("partial", (string?)body["type"]);
        Assert.Equal(speaker.ToString(), (string?)body["speakerId"]);
        Assert.Equal("Penasihat Keamanan Nasional AS", (string?)body["speakerRole"]);
        Assert.Equal("2023-09-06", (string?)body["saidOn"]);
        Assert.Equal("kepada wartawan di Gedung Putih", (string?)body["occasion"]);
        Assert.Equal(source.ToString(), (string?)body["sourceId"]);
        Assert.Equal("https://www.afp.com/story", (string?)body["sourceUrl"]);
        Assert.Null(body["translationOfId"]);
        Assert.Empty(body["articleIds"]!.AsArray());
        Assert.Equal(1, (int)body["version"]!);
        Assert.NotNull(body["createdAt"]);
        Assert.NotNull(body["updatedAt"]);

        var fetched = await admin.GetOk(response.Headers.Location!.ToString());
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
        Assert.Equal(Verbatim, (string?)fetched["text"]);
    }

    [Fact]
    public async Task GetById_ReturnsTheQuoteWithETag()
    {
        var created = await Create(Quote(await Speaker()));
        var (body, response) = await admin.GetWithResponse($"/v1/quotes/{created.Id()}");
        Assert.Equal("\"1\"", response.ETag());
        Assert.True(JsonNode.DeepEquals(created, body), body.ToJsonString());
    }

    [Fact]
    public async Task GetBySlug_IsNotARoute_Returns404()
    {
        await (await admin.GetAsync("/v1/quotes/mereka-akan-menanggung")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task List_BySpeaker_ReturnsTheirQuotesNewestFirst()
    {
        var speaker = await Speaker();
        var first = await Create(Quote(speaker, "Satu"));
        var second = await Create(Quote(speaker, "Dua"));
        await Create(Quote(await Speaker(), "Orang lain"));

        var (page, response) = await admin.GetWithResponse($"/v1/quotes?speakerId={speaker}");
        Assert.Equal([second.Id(), first.Id()], page["items"]!.AsArray().Ids());
        Assert.True(page.ContainsKey("nextCursor"));
        Assert.Null(page["nextCursor"]);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Replace_WithIfMatch_ReplacesEveryFieldAndBumpsVersion()
    {
        var speaker = await Speaker();
        var created = await Create(Quote(speaker, sourceId: (await admin.CreateSource()).Id()));
        var response = await admin.Put($"/v1/quotes/{created.Id()}",
            new { text = "They will pay a price", language = "en", type = "indirect", speakerId = speaker }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal("They will pay a price", (string?)body["text"]);
        Assert.Equal("en", (string?)body["language"]);
        Assert.Equal("indirect", (string?)body["type"]);
        Assert.Null(body["speakerRole"]);
        Assert.Null(body["saidOn"]);
        Assert.Null(body["occasion"]);
        Assert.Null(body["sourceId"]);
        Assert.Null(body["sourceUrl"]);
        Assert.Equal((string?)created["createdAt"], (string?)body["createdAt"]);

        var fetched = await admin.GetOk($"/v1/quotes/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task Patch_MergePatch_NullClearsArraysReplaceAndTheRestStays()
    {
        var speaker = await Speaker();
        var article = await admin.CreateArticle(TestData.Article());
        var created = await Create(Quote(speaker, Verbatim));
        var response = await admin.Patch($"/v1/quotes/{created.Id()}",
            new { speakerRole = (string?)null, occasion = "dalam konferensi pers", articleIds = new[] { article.Id() } }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Null(body["speakerRole"]);
        Assert.Equal("dalam konferensi pers", (string?)body["occasion"]);
        Assert.Equal([article.Id().ToString()], body["articleIds"]!.AsArray().Guids());
        Assert.Equal(Verbatim, (string?)body["text"]);
        Assert.Equal("2023-09-06", (string?)body["saidOn"]);
        Assert.Equal("https://www.afp.com/story", (string?)body["sourceUrl"]);

        var fetched = await admin.GetOk($"/v1/quotes/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
        var linked = await admin.GetOk($"/v1/articles/{article.Id()}");
        Assert.Contains(created.Id().ToString(), linked["quoteIds"]!.AsArray().Guids());
    }

    [Fact]
    public async Task Create_WithArticleIds_AddsTheQuoteToThoseArticles()
    {
        var speaker = await Speaker();
        var existing = await Create(Quote(speaker, "Yang lama"));
        var first = await admin.CreateArticle(TestData.Article(quoteIds: [existing.Id()]));
        var second = await admin.CreateArticle(TestData.Article());

        var quote = await Create(Quote(speaker, articleIds: [first.Id(), second.Id()]));

        Assert.Equal(new[] { first.Id().ToString(), second.Id().ToString() }.Order(), quote["articleIds"]!.AsArray().Guids().Order());
        var a1 = await admin.GetOk($"/v1/articles/{first.Id()}");
        Assert.Equal(2, (int)a1["version"]!);
        Assert.Equal([existing.Id().ToString(), quote.Id().ToString()], a1["quoteIds"]!.AsArray().Guids()); // appended
        var a2 = await admin.GetOk($"/v1/articles/{second.Id()}");
        Assert.Equal(2, (int)a2["version"]!);
        Assert.Equal([quote.Id().ToString()], a2["quoteIds"]!.AsArray().Guids());
        Assert.Equal([quote.Id()], (await admin.GetOk($"/v1/quotes?articleId={second.Id()}"))["items"]!.AsArray().Ids());
    }

    [Fact]
    public async Task Replace_UnlinkingAnArticleWhoseBodyShowsTheQuote_Returns422AndChangesNothing()
    {
        var speaker = await Speaker();
        var quote = await Create(Quote(speaker));
        var article = await admin.CreateArticle(TestData.Article(body:
        [
            new { type = "paragraph", text = "Sullivan berkata:" },
            new { type = "quote", quoteId = quote.Id() },
        ]));
        var linked = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.Equal([article.Id().ToString()], linked["articleIds"]!.AsArray().Guids());
        var version = (int)linked["version"]!;

        var problem = await (await admin.Put($"/v1/quotes/{quote.Id()}", Quote(speaker, articleIds: []), TestData.Etag(version)))
            .ValidationProblem("articleIds", HttpStatusCode.UnprocessableEntity);
        Assert.Contains(article.Id().ToString(), problem["errors"]!["articleIds"]![0]!.ToString());

        await (await admin.Patch($"/v1/quotes/{quote.Id()}", new { articleIds = Array.Empty<Guid>() }, TestData.Etag(version)))
            .ValidationProblem("articleIds", HttpStatusCode.UnprocessableEntity);

        var after = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.Equal(version, (int)after["version"]!);
        Assert.Equal([article.Id().ToString()], after["articleIds"]!.AsArray().Guids());
        var articleAfter = await admin.GetOk($"/v1/articles/{article.Id()}");
        Assert.Equal(1, (int)articleAfter["version"]!);
        Assert.Equal([quote.Id().ToString()], articleAfter["quoteIds"]!.AsArray().Guids());
    }

    [Fact]
    public async Task Replace_UnlinkingAnArticleThatOnlyListsTheQuote_RemovesItFromTheArticle()
    {
        var speaker = await Speaker();
        var quote = await Create(Quote(speaker));
        var keep = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));
        var drop = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));
        var version = (int)(await admin.GetOk($"/v1/quotes/{quote.Id()}"))["version"]!;

        var body = await (await admin.Put($"/v1/quotes/{quote.Id()}", Quote(speaker, articleIds: [keep.Id()]), TestData.Etag(version))).Json();

        Assert.Equal(version + 1, (int)body["version"]!);
        Assert.Equal([keep.Id().ToString()], body["articleIds"]!.AsArray().Guids());
        var dropped = await admin.GetOk($"/v1/articles/{drop.Id()}");
        Assert.Empty(dropped["quoteIds"]!.AsArray());
        Assert.Equal(2, (int)dropped["version"]!);
        var kept = await admin.GetOk($"/v1/articles/{keep.Id()}");
        Assert.Equal([quote.Id().ToString()], kept["quoteIds"]!.AsArray().Guids());
    }
}
