using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Quotes.QuoteTestData;

namespace ContentApi.Tests.Quotes;

/// <summary>The documented failures of /v1/quotes: unknown references, quotes in use, validation limits and list parameters.</summary>
[Collection(ApiCollection.Name)]
public sealed class QuoteValidationTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object quote) => await admin.PostOk("/v1/quotes", quote);

    private async Task<Guid> Speaker() => (await admin.CreatePerson()).Id();

    [Fact]
    public async Task Create_WithUnknownSpeaker_Returns422NamingSpeakerId()
    {
        var missing = Guid.CreateVersion7();
        var problem = await (await admin.PostAsJsonAsync("/v1/quotes", Quote(missing))).ValidationProblem("speakerId", HttpStatusCode.UnprocessableEntity);
        Assert.Contains(missing.ToString(), problem["errors"]!["speakerId"]![0]!.ToString());
        Assert.DoesNotContain("fkey", problem.ToJsonString());
    }

    [Fact]
    public async Task Create_WithUnknownSource_Returns422NamingSourceId()
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), sourceId: Guid.CreateVersion7())))
            .ValidationProblem("sourceId", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Create_WithUnknownArticle_Returns422NamingArticleIdsAndCreatesNothing()
    {
        var speaker = await Speaker();
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(speaker, articleIds: [Guid.CreateVersion7()])))
            .ValidationProblem("articleIds", HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await admin.GetOk($"/v1/quotes?speakerId={speaker}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_WithUnknownOriginal_Returns422NamingTranslationOfId()
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), translationOfId: Guid.CreateVersion7())))
            .ValidationProblem("translationOfId", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Replace_WithUnknownSpeaker_Returns422AndChangesNothing()
    {
        var speaker = await Speaker();
        var created = await Create(Quote(speaker));
        await (await admin.Put($"/v1/quotes/{created.Id()}", Quote(Guid.CreateVersion7()), "\"1\""))
            .ValidationProblem("speakerId", HttpStatusCode.UnprocessableEntity);
        var after = await admin.GetOk($"/v1/quotes/{created.Id()}");
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal(speaker.ToString(), (string?)after["speakerId"]);
    }

    [Fact]
    public async Task Delete_WhenUsedByAnArticle_Returns409InUseNamingTheArticle()
    {
        var quote = await Create(Quote(await Speaker()));
        var article = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));
        var version = (int)(await admin.GetOk($"/v1/quotes/{quote.Id()}"))["version"]!;

        var problem = await (await admin.Delete($"/v1/quotes/{quote.Id()}", TestData.Etag(version))).Problem(HttpStatusCode.Conflict, "in_use");

        Assert.Contains(article.Id().ToString(), (string?)problem["detail"]);
        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("article", (string?)user!["type"]);
        Assert.Equal(article.Id(), user.Id());
        await admin.GetOk($"/v1/quotes/{quote.Id()}");
    }

    [Fact]
    public async Task Delete_WhenTranslated_Returns409InUseNamingTheTranslation()
    {
        var speaker = await Speaker();
        var original = await Create(Quote(speaker, "They will pay a price", "en"));
        var translation = await Create(Quote(speaker, "Mereka akan membayar harganya", translationOfId: original.Id()));

        var problem = await (await admin.Delete($"/v1/quotes/{original.Id()}", "\"1\"")).Problem(HttpStatusCode.Conflict, "in_use");

        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("quote", (string?)user!["type"]);
        Assert.Equal(translation.Id(), user.Id());
    }

    [Fact]
    public async Task Create_WithTextOver10000Chars_Returns400_And10000IsAccepted()
    {
        var speaker = await Speaker();
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(speaker, new string('k', 10_001)))).ValidationProblem("text");
        var longest = await Create(Quote(speaker, new string('k', 10_000)));
        Assert.Equal(10_000, ((string)longest["text"]!).Length);
    }

    [Fact]
    public async Task Create_WithEmptyText_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), ""))).ValidationProblem("text");
    }

    [Theory]
    [InlineData("verbatim")]
    [InlineData("paraphrase")]
    [InlineData("")]
    public async Task Create_WithUnknownType_Returns400(string type)
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), type: type))).ValidationProblem("type");
    }

    [Theory]
    [InlineData("indonesian")]
    [InlineData("i")]
    [InlineData("id_ID")]
    [InlineData("12")]
    [InlineData("")]
    [InlineData("en-")]
    public async Task Create_WithBadLanguageTag_Returns400(string language)
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), language: language))).ValidationProblem("language");
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("zh-Hant-TW")]
    [InlineData("ko")]
    public async Task Create_WithValidLanguageTag_IsAccepted(string language)
    {
        var quote = await Create(Quote(await Speaker(), language: language));
        Assert.Equal(language, (string?)quote["language"]);
    }

    [Theory]
    [InlineData("ftp://afp.com/x")]
    [InlineData("afp.com/story")]
    [InlineData("javascript:alert(1)")]
    public async Task Create_WithNonHttpSourceUrl_Returns400(string url)
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), sourceUrl: url))).ValidationProblem("sourceUrl");
    }

    [Fact]
    public async Task Create_SaidInTheFuture_Returns400()
    {
        var future = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd");
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), saidOn: future))).ValidationProblem("saidOn");
    }

    [Fact]
    public async Task Create_WithSaidOnNotACalendarDate_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/quotes", Quote(await Speaker(), saidOn: "06/09/2023"))).ValidationProblem("saidOn");
    }

    [Fact]
    public async Task Patch_WithInvalidValues_Returns400NamingTheField()
    {
        var created = await Create(Quote(await Speaker()));
        await (await admin.Patch($"/v1/quotes/{created.Id()}", new { type = "verbatim" }, "\"1\"")).ValidationProblem("type");
        await (await admin.Patch($"/v1/quotes/{created.Id()}", new { text = new string('k', 10_001) }, "\"1\"")).ValidationProblem("text");
        await (await admin.Patch($"/v1/quotes/{created.Id()}", new { articles = new[] { Guid.NewGuid() } }, "\"1\"")).ValidationProblem("articles");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/quotes/{created.Id()}"))["version"]!);
    }

    [Fact]
    public async Task List_WithSaidBeforeEarlierThanSaidAfter_Returns400()
    {
        await (await admin.GetAsync("/v1/quotes?saidAfter=2023-09-10&saidBefore=2023-09-01")).ValidationProblem("saidBefore");
    }

    [Fact]
    public async Task List_WithBadLanguageFilter_Returns400()
    {
        await (await admin.GetAsync("/v1/quotes?language=indonesian")).ValidationProblem("language");
    }

    [Theory]
    [InlineData("speakerId", "jake")]
    [InlineData("saidAfter", "yesterday")]
    [InlineData("saidBefore", "2023-13-45")]
    public async Task List_WithUnparsableFilterValue_Returns400NamingTheParameter(string name, string value)
    {
        await (await admin.GetAsync($"/v1/quotes?{name}={value}")).ValidationProblem(name);
    }
}
