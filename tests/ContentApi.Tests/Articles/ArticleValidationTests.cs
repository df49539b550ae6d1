using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Articles.ArticleTestData;

namespace ContentApi.Tests.Articles;

/// <summary>The documented failures of /v1/articles: conflicts, unknown references, validation limits and list parameters.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleValidationTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    [Fact]
    public async Task Patch_ConcurrentlyWithTheSameIfMatch_OnlyOneWins()
    {
        var created = await Create(TestData.Article());
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            admin.Patch($"/v1/articles/{created.Id()}", new { title = $"Judul {i}", tags = new[] { $"t{i}" } }, "\"1\"")));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r != winner))
            await loser.Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        var won = await winner.Json();
        var after = await admin.GetOk($"/v1/articles/{created.Id()}");
        Assert.Equal(2, (int)after["version"]!);
        Assert.Equal((string?)won["title"], (string?)after["title"]);
        Assert.Equal(won["tags"]!.AsArray().Select(t => (string)t!), after["tags"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Create_WithUnknownPerson_Returns422NamingPeople()
    {
        var slug = TestData.Slug("a");
        var missing = Guid.CreateVersion7();
        var problem = await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(slug, people: [new { personId = missing, role = "subject" }])))
            .ValidationProblem("people", HttpStatusCode.UnprocessableEntity);
        Assert.Contains(missing.ToString(), problem["errors"]!["people"]![0]!.ToString());
        await (await admin.GetAsync($"/v1/articles/{slug}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_WithUnknownSource_Returns422NamingSources()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(sources: [new { sourceId = Guid.CreateVersion7(), relation = "cited" }])))
            .ValidationProblem("sources", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Create_WithUnknownQuote_Returns422NamingQuoteIds()
    {
        var slug = TestData.Slug("a");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(slug, quoteIds: [Guid.CreateVersion7()])))
            .ValidationProblem("quoteIds", HttpStatusCode.UnprocessableEntity);
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(slug, body: [new { type = "quote", quoteId = Guid.CreateVersion7() }])))
            .ValidationProblem("quoteIds", HttpStatusCode.UnprocessableEntity);
        await (await admin.GetAsync($"/v1/articles/{slug}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Replace_WithUnknownPerson_Returns422AndChangesNothing()
    {
        var created = await Create(TestData.Article());
        await (await admin.Put($"/v1/articles/{created.Id()}",
                TestData.Article((string)created["slug"]!, title: "Baru", people: [new { personId = Guid.CreateVersion7(), role = "subject" }]), "\"1\""))
            .ValidationProblem("people", HttpStatusCode.UnprocessableEntity);
        var after = await admin.GetOk($"/v1/articles/{created.Id()}");
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal("Korea Utara mendukung Rusia", (string?)after["title"]);
    }

    [Fact]
    public async Task Create_WithTitleOver300Chars_Returns400_And300IsAccepted()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(title: new string('j', 301)))).ValidationProblem("title");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(title: ""))).ValidationProblem("title");
        var longest = await Create(TestData.Article(title: new string('j', 300)));
        Assert.Equal(300, ((string)longest["title"]!).Length);
    }

    [Fact]
    public async Task Create_WithBlockTextOver20000Chars_Returns400NamingTheBlock()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [Paragraph("ok"), Paragraph(new string('x', 20_001))])))
            .ValidationProblem("body[1].text");
        var longest = await Create(TestData.Article(body: [Paragraph(new string('x', 20_000))]));
        Assert.Equal(20_000, ((string)longest["body"]![0]!["text"]!).Length);
    }

    [Fact]
    public async Task Create_WithMoreThan500Blocks_Returns400_And500AreAccepted()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: Enumerable.Range(0, 501).Select(i => Paragraph($"p{i}")).ToArray())))
            .ValidationProblem("body");
        var longest = await Create(TestData.Article(body: Enumerable.Range(0, 500).Select(i => Paragraph($"p{i}")).ToArray()));
        Assert.Equal(500, longest["body"]!.AsArray().Count);
        Assert.Equal("p499", (string?)longest["body"]![499]!["text"]);
    }

    [Theory]
    [InlineData("Korea Utara")]
    [InlineData("korea--utara")]
    [InlineData("-korea")]
    [InlineData("korea-")]
    [InlineData("")]
    [InlineData("Korea")]
    [InlineData("korea_utara")]
    [InlineData("korea/utara")]
    public async Task Create_WithBadSlug_Returns400(string slug)
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(slug))).ValidationProblem("slug");
    }

    [Fact]
    public async Task Create_WithSlugOver120Chars_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(new string('k', 121)))).ValidationProblem("slug");
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("Scheduled")]
    [InlineData("")]
    public async Task Create_WithUnknownStatus_Returns400(string status)
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(status: status))).ValidationProblem("status");
    }

    [Fact]
    public async Task Create_PublishedWithoutPublishedAt_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(status: "published"))).ValidationProblem("publishedAt");
    }

    [Fact]
    public async Task Create_WithUnknownRole_Returns400NamingTheLink()
    {
        var person = await admin.CreatePerson();
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(people:
            [new { personId = person.Id(), role = "subject" }, new { personId = person.Id(), role = "photographer" }])))
            .ValidationProblem("people[1].role");
    }

    [Fact]
    public async Task Create_WithUnknownRelation_Returns400NamingTheLink()
    {
        var source = await admin.CreateSource();
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(sources: [new { sourceId = source.Id(), relation = "via" }])))
            .ValidationProblem("sources[0].relation");
    }

    [Fact]
    public async Task Create_WithSamePersonTwiceInOneRole_Returns400()
    {
        var person = await admin.CreatePerson();
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(people:
            [new { personId = person.Id(), role = "subject" }, new { personId = person.Id(), role = "subject" }])))
            .ValidationProblem("people");
    }

    [Fact]
    public async Task Create_WithUnknownBlockType_Returns400NamingTheBlock()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [Paragraph("ok"), new { type = "video", url = "https://example.com/v" }])))
            .ValidationProblem("body[1].type");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "html", text = "<p>x</p>" }])))
            .ValidationProblem("body[0].type");
    }

    [Fact]
    public async Task Create_WithEmptyUntypedBlock_Returns400NamingItsType()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { }]))).ValidationProblem("body[0].type");
    }

    [Fact]
    public async Task Create_WithUntypedTextBlock_Returns400NamingItsType()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [Paragraph("ok"), new { text = "Tanpa jenis" }])))
            .ValidationProblem("body[1].type");
    }

    [Theory]
    [InlineData("indonesian")]
    [InlineData("i")]
    [InlineData("id_ID")]
    [InlineData("")]
    [InlineData("123")]
    public async Task Create_WithBadLanguageTag_Returns400(string language)
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(language: language))).ValidationProblem("language");
    }

    [Fact]
    public async Task Create_WithNonHttpUrls_Returns400NamingEachField()
    {
        var hero = TestData.Article();
        var request = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(hero, System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        request["heroImage"] = new JsonObject { ["url"] = "ftp://example.com/a.jpg", ["alt"] = "x" };
        await (await admin.PostAsync("/v1/articles", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")))
            .ValidationProblem("heroImage.url");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "image", url = "javascript:alert(1)", alt = "x" }])))
            .ValidationProblem("body[0].url");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "embed", url = "/relative/video", kind = "video" }])))
            .ValidationProblem("body[0].url");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(0)]
    public async Task Create_WithHeadingLevelOutOfRange_Returns400(int level)
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "heading", text = "Judul", level }])))
            .ValidationProblem("body[0].level");
    }

    [Fact]
    public async Task Create_WithUnknownEmbedKind_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "embed", url = "https://x.com/v", kind = "hologram" }])))
            .ValidationProblem("body[0].kind");
    }

    [Fact]
    public async Task Create_WithUnknownBlockField_Returns400NamingIt()
    {
        // The top-level unknown field is a convention over every resource (Conventions/RequestBodyTests).
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "paragraph", text = "x", bold = true }])))
            .ValidationProblem("body[0].bold");
    }

    [Fact]
    public async Task Patch_WithInvalidResult_Returns400NamingTheField()
    {
        var created = await Create(TestData.Article());
        await (await admin.Patch($"/v1/articles/{created.Id()}", new { title = new string('j', 301) }, "\"1\"")).ValidationProblem("title");
        await (await admin.Patch($"/v1/articles/{created.Id()}", new { status = "pending" }, "\"1\"")).ValidationProblem("status");
        await (await admin.Patch($"/v1/articles/{created.Id()}", new { body = new[] { new { type = "heading", text = "x", level = 9 } } }, "\"1\""))
            .ValidationProblem("body[0].level");
        await (await admin.Patch($"/v1/articles/{created.Id()}", "[1,2]", "\"1\"")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/articles/{created.Id()}"))["version"]!);
    }

    [Theory]
    [InlineData("status", "pending")]
    [InlineData("status", "Published")]
    [InlineData("sort", "title")]
    [InlineData("sort", "publishedat")]
    [InlineData("language", "bahasa indonesia")]
    public async Task List_WithUnknownFilterValue_Returns400(string name, string value)
    {
        await (await reader.GetAsync($"/v1/articles?{name}={TestData.Q(value)}")).ValidationProblem(name);
    }

    [Fact]
    public async Task List_WithACursorFromAnotherSort_Returns400()
    {
        var tag = TestData.Token("cur");
        await Create(TestData.Article(tags: [tag]));
        await Create(TestData.Article(tags: [tag]));
        var cursor = (string)(await admin.GetOk($"/v1/articles?tag={tag}&limit=1&sort=-updatedAt"))["nextCursor"]!;
        await (await admin.GetAsync($"/v1/articles?tag={tag}&limit=1&cursor={TestData.Q(cursor)}")).ValidationProblem("cursor");
    }
}
