using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Sources;

/// <summary>/v1/sources through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class SourceEndpointsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private static object Source(string? slug = null, string name = "Reuters", string kind = "agency",
        string? url = "https://www.reuters.com", string? country = "GB") => new
        {
            slug = slug ?? TestData.Slug("source"),
            name,
            kind,
            url,
            country,
        };

    private async Task<JsonObject> Create(object source) => await admin.PostOk("/v1/sources", source);

    [Fact]
    public async Task Create_Returns201WithLocationETagAndBody()
    {
        var slug = TestData.Slug("cbs-news");
        var response = await admin.PostAsJsonAsync("/v1/sources", Source(slug, "CBS News", "broadcaster", "https://www.cbsnews.com", "US"));
        var body = await response.Json(HttpStatusCode.Created);

        var id = body.Id();
        Assert.Equal(7, id.Version);
        Assert.Equal("\"1\"", response.ETag());
        Assert.EndsWith($"/v1/sources/{id}", response.Headers.Location!.ToString());
        Assert.Equal(slug, (string?)body["slug"]);
        Assert.Equal("CBS News", (string?)body["name"]);
        Assert.Equal("broadcaster", (string?)body["kind"]);
        Assert.Equal("https://www.cbsnews.com", (string?)body["url"]);
        Assert.Equal("US", (string?)body["country"]);
        Assert.Equal(1, (int)body["version"]!);
        Assert.NotNull(body["createdAt"]);
        Assert.NotNull(body["updatedAt"]);

        var fetched = await admin.GetOk(response.Headers.Location!.ToString());
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task GetByIdAndBySlug_ReturnTheSameSourceWithETag()
    {
        var created = await Create(Source());
        var (byId, r1) = await reader.GetWithResponse($"/v1/sources/{created.Id()}");
        var (bySlug, r2) = await reader.GetWithResponse($"/v1/sources/{created["slug"]}");
        Assert.Equal("\"1\"", r1.ETag());
        Assert.Equal("\"1\"", r2.ETag());
        Assert.True(JsonNode.DeepEquals(created, byId), byId.ToJsonString());
        Assert.True(JsonNode.DeepEquals(created, bySlug), bySlug.ToJsonString());
    }

    [Fact]
    public async Task List_ReturnsItemsAndNullNextCursorOnTheLastPage()
    {
        var token = TestData.Token("src");
        var one = await Create(Source(name: $"{token} Satu"));
        var two = await Create(Source(name: $"{token} Dua", kind: "newspaper"));

        var (page, response) = await reader.GetWithResponse($"/v1/sources?q={token}");
        Assert.Equal(new[] { one.Id(), two.Id() }.Order(), page["items"]!.AsArray().Ids().Order());
        Assert.True(page.ContainsKey("nextCursor"));
        Assert.Null(page["nextCursor"]);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Replace_WithIfMatch_ReplacesEveryFieldAndBumpsVersion()
    {
        var created = await Create(Source());
        var slug = TestData.Slug("afp");
        var response = await admin.Put($"/v1/sources/{created.Id()}", new { slug, name = "AFP", kind = "agency" }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal(slug, (string?)body["slug"]);
        Assert.Equal("AFP", (string?)body["name"]);
        Assert.Null(body["url"]);
        Assert.Null(body["country"]);
        Assert.Equal((string?)created["createdAt"], (string?)body["createdAt"]);

        var fetched = await admin.GetOk($"/v1/sources/{slug}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task Patch_MergePatch_NullClearsAndTheRestStays()
    {
        var created = await Create(Source());
        var response = await admin.Patch($"/v1/sources/{created.Id()}", new { country = (string?)null, kind = "organization" }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Null(body["country"]);
        Assert.Equal("organization", (string?)body["kind"]);
        Assert.Equal("Reuters", (string?)body["name"]);
        Assert.Equal("https://www.reuters.com", (string?)body["url"]);
        Assert.Equal((string?)created["slug"], (string?)body["slug"]);

        var fetched = await admin.GetOk($"/v1/sources/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task Delete_WhenUsedByAnArticle_Returns409InUseNamingTheArticle()
    {
        var source = await Create(Source());
        var article = await admin.CreateArticle(TestData.Article(sources: [new { sourceId = source.Id(), relation = "cited" }]));

        var problem = await (await admin.Delete($"/v1/sources/{source.Id()}", "\"1\"")).Problem(HttpStatusCode.Conflict, "in_use");

        Assert.Contains(article.Id().ToString(), (string?)problem["detail"]);
        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("article", (string?)user!["type"]);
        Assert.Equal(article.Id(), user.Id());
        await admin.GetOk($"/v1/sources/{source.Id()}");
    }

    [Fact]
    public async Task Delete_WhenAQuoteWasReportedViaIt_Returns409InUseNamingTheQuote()
    {
        var source = await Create(Source());
        var person = await admin.CreatePerson();
        var quote = await admin.CreateQuote(person.Id(), source.Id());

        var problem = await (await admin.Delete($"/v1/sources/{source.Id()}", "\"1\"")).Problem(HttpStatusCode.Conflict, "in_use");

        Assert.Contains(quote.Id().ToString(), (string?)problem["detail"]);
        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("quote", (string?)user!["type"]);
        Assert.Equal(quote.Id(), user.Id());
    }

    [Theory]
    [InlineData("Reuters News")]
    [InlineData("reuters--news")]
    [InlineData("reuters-")]
    [InlineData("")]
    [InlineData("Reuters")]
    [InlineData("reuters.com")]
    public async Task Create_WithBadSlug_Returns400(string slug)
    {
        await (await admin.PostAsJsonAsync("/v1/sources", Source(slug))).ValidationProblem("slug");
    }

    [Theory]
    [InlineData("blog")]
    [InlineData("news-agency")]
    [InlineData("")]
    public async Task Create_WithUnknownKind_Returns400(string kind)
    {
        await (await admin.PostAsJsonAsync("/v1/sources", Source(kind: kind))).ValidationProblem("kind");
    }

    [Theory]
    [InlineData("ftp://reuters.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("www.reuters.com")]
    public async Task Create_WithNonHttpUrl_Returns400(string url)
    {
        await (await admin.PostAsJsonAsync("/v1/sources", Source(url: url))).ValidationProblem("url");
    }

    [Theory]
    [InlineData("gb")]
    [InlineData("GBR")]
    public async Task Create_WithBadCountry_Returns400(string country)
    {
        await (await admin.PostAsJsonAsync("/v1/sources", Source(country: country))).ValidationProblem("country");
    }

    [Fact]
    public async Task Patch_WithUnknownKind_Returns400()
    {
        var created = await Create(Source());
        await (await admin.Patch($"/v1/sources/{created.Id()}", new { kind = "blog" }, "\"1\"")).ValidationProblem("kind");
        Assert.Equal("agency", (string?)(await admin.GetOk($"/v1/sources/{created.Id()}"))["kind"]);
    }

    [Fact]
    public async Task List_WithUnknownKind_Returns400()
    {
        await (await reader.GetAsync("/v1/sources?kind=blog")).ValidationProblem("kind");
    }

    [Fact]
    public async Task List_ByKind_ReturnsOnlyThatKind()
    {
        var token = TestData.Token("kind");
        var agency = await Create(Source(name: $"{token} Agency", kind: "agency"));
        var tv = await Create(Source(name: $"{token} TV", kind: "broadcaster"));
        var paper = await Create(Source(name: $"{token} Paper", kind: "newspaper"));

        Assert.Equal([tv.Id()], (await reader.GetOk($"/v1/sources?q={token}&kind=broadcaster"))["items"]!.AsArray().Ids());
        Assert.Equal([agency.Id()], (await reader.GetOk($"/v1/sources?q={token}&kind=agency"))["items"]!.AsArray().Ids());
        Assert.Empty((await reader.GetOk($"/v1/sources?q={token}&kind=government"))["items"]!.AsArray());
        Assert.Equal(new[] { agency.Id(), tv.Id(), paper.Id() }.Order(),
            (await reader.GetOk($"/v1/sources?q={token}"))["items"]!.AsArray().Ids().Order());

        var broadcasters = await reader.ListAll("/v1/sources?kind=broadcaster&limit=100");
        Assert.Contains(broadcasters, s => s.Id() == tv.Id());
        Assert.All(broadcasters, s => Assert.Equal("broadcaster", (string?)s["kind"]));
    }

    [Fact]
    public async Task List_ByQ_FindsByNamePartAndToleratesATypo()
    {
        var token = TestData.Token("kb");
        var antara = await Create(Source(name: $"Kantor Berita Antara {token}", kind: "agency", country: "ID"));
        var other = await Create(Source(name: $"Harian Kompas {TestData.Token("x")}", kind: "newspaper", country: "ID"));

        Assert.Equal([antara.Id()], (await reader.GetOk($"/v1/sources?q={token}"))["items"]!.AsArray().Ids());
        Assert.Equal([antara.Id()], (await reader.GetOk($"/v1/sources?q={TestData.Q("Antara " + token)}"))["items"]!.AsArray().Ids());
        var typo = await reader.ListAll($"/v1/sources?q={TestData.Q($"Kantor Berta Antara {token}")}&limit=100");
        Assert.Contains(typo, s => s.Id() == antara.Id());
        Assert.DoesNotContain(typo, s => s.Id() == other.Id());
    }

    [Fact]
    public async Task List_WithBlankQ_Returns400()
    {
        await (await reader.GetAsync("/v1/sources?q=%20%20")).ValidationProblem("q");
    }

    [Fact]
    public async Task Get_WithIncludeQuotesAndArticles_EmbedsExactlyTheRelatedRows()
    {
        var source = await Create(Source());
        var other = await Create(Source(name: "AFP"));
        var person = await admin.CreatePerson();
        var q1 = await admin.CreateQuote(person.Id(), source.Id(), "Kutipan satu");
        var q2 = await admin.CreateQuote(person.Id(), source.Id(), "Kutipan dua");
        await admin.CreateQuote(person.Id(), other.Id(), "Kutipan lain");
        var cited = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-3),
            sources: [new { sourceId = source.Id(), relation = "cited" }]));
        var via = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-1),
            sources: [new { sourceId = source.Id(), relation = "reported-via" }, new { sourceId = other.Id(), relation = "cited" }]));
        await admin.CreateArticle(TestData.Article(sources: [new { sourceId = other.Id(), relation = "cited" }]));

        var body = await admin.GetOk($"/v1/sources/{source.Id()}?include=quotes,articles");

        Assert.Equal([q2.Id(), q1.Id()], body["quotes"]!.AsArray().Ids());
        Assert.All(body["quotes"]!.AsArray(), q => Assert.Equal(source.Id().ToString(), (string?)q!["sourceId"]));
        Assert.Equal([via.Id(), cited.Id()], body["articles"]!.AsArray().Ids());
        Assert.Equal("Reuters", (string?)body["name"]);

        var plain = await admin.GetOk($"/v1/sources/{source.Id()}");
        Assert.False(plain.ContainsKey("quotes"));
        Assert.False(plain.ContainsKey("articles"));
    }

    [Fact]
    public async Task Get_WithInclude_ForReader_HidesDraftArticlesAndTheirQuotes()
    {
        var source = await Create(Source());
        var person = await admin.CreatePerson();
        var publicQuote = await admin.CreateQuote(person.Id(), source.Id(), "Publik");
        var draftQuote = await admin.CreateQuote(person.Id(), source.Id(), "Rahasia");
        var published = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddHours(-1),
            quoteIds: [publicQuote.Id()], sources: [new { sourceId = source.Id(), relation = "cited" }]));
        await admin.CreateArticle(TestData.Article(quoteIds: [draftQuote.Id()], sources: [new { sourceId = source.Id(), relation = "cited" }]));
        await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(2),
            sources: [new { sourceId = source.Id(), relation = "cited" }]));

        var body = await reader.GetOk($"/v1/sources/{source.Id()}?include=quotes,articles");
        Assert.Equal([publicQuote.Id()], body["quotes"]!.AsArray().Ids());
        Assert.Equal([published.Id()], body["articles"]!.AsArray().Ids());

        var asAdmin = await admin.GetOk($"/v1/sources/{source.Id()}?include=quotes,articles");
        Assert.Equal([draftQuote.Id(), publicQuote.Id()], asAdmin["quotes"]!.AsArray().Ids());
        Assert.Equal(3, asAdmin["articles"]!.AsArray().Count);
    }

    [Fact]
    public async Task List_WalksEveryPage_AndByKindEveryPageOfThatKind()
    {
        var token = TestData.Token("page");
        var kinds = new[] { "agency", "newspaper", "broadcaster" };
        var created = await Task.WhenAll(Enumerable.Range(0, 45).Select(i => Create(Source(name: $"{token} {i % 7} {i:D2}", kind: kinds[i % 3]))));
        var originals = created.Select(s => s.Id()).ToList();

        var added = 0;
        var seen = await reader.ListAll($"/v1/sources?q={token}&limit=20", async page =>
        {
            await Create(Source(name: $"{token} 0 {page}"));
            await Create(Source(name: $"{token} 9 {page}"));
            added += 2;
        });

        var ids = seen.Ids();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var id in originals)
            Assert.Single(ids, x => x == id);
        Assert.InRange(ids.Count, originals.Count, originals.Count + added);

        var agencies = await reader.ListAll($"/v1/sources?q={token}&kind=agency&limit=7");
        Assert.Equal(created.Where(s => (string?)s["kind"] == "agency").Select(s => s.Id()).Order(),
            agencies.Where(s => originals.Contains(s.Id())).Ids().Order());
    }
}
