using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.People;

/// <summary>/v1/people through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class PersonEndpointsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private static object Person(string? slug = null, string name = "Jake Sullivan", string[]? aliases = null,
        string? title = "Penasihat Keamanan Nasional AS", string? affiliation = "Gedung Putih", string? description = "Pejabat AS",
        string? wikidataId = "Q6125217", string? imageUrl = "https://example.com/sullivan.jpg") => new
        {
            slug = slug ?? TestData.Slug("person"),
            name,
            aliases = aliases ?? ["Sullivan"],
            title,
            affiliation,
            description,
            wikidataId,
            imageUrl,
        };

    private async Task<JsonObject> Create(object person) => await admin.PostOk("/v1/people", person);

    [Fact]
    public async Task Create_Returns201WithLocationETagAndBody()
    {
        var slug = TestData.Slug("jake-sullivan");
        var response = await admin.PostAsJsonAsync("/v1/people", Person(slug));
        var body = await response.Json(HttpStatusCode.Created);

        var id = body.Id();
        Assert.Equal(7, id.Version);
        Assert.Equal("\"1\"", response.ETag());
        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith($"/v1/people/{id}", response.Headers.Location!.ToString());
        Assert.Equal(slug, (string?)body["slug"]);
        Assert.Equal("Jake Sullivan", (string?)body["name"]);
        Assert.Equal(["Sullivan"], body["aliases"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Penasihat Keamanan Nasional AS", (string?)body["title"]);
        Assert.Equal("Gedung Putih", (string?)body["affiliation"]);
        Assert.Equal("Pejabat AS", (string?)body["description"]);
        Assert.Equal("Q6125217", (string?)body["wikidataId"]);
        Assert.Equal("https://example.com/sullivan.jpg", (string?)body["imageUrl"]);
        Assert.Equal(1, (int)body["version"]!);
        Assert.NotNull(body["createdAt"]);
        Assert.Equal((string?)body["createdAt"], (string?)body["updatedAt"]);

        var fetched = await admin.GetOk(response.Headers.Location!.ToString());
        Assert.Equal(id, fetched.Id());
    }

    [Fact]
    public async Task GetByIdAndBySlug_ReturnTheSamePersonWithETag()
    {
        var created = await Create(Person());
        var (byId, r1) = await reader.GetWithResponse($"/v1/people/{created.Id()}");
        var (bySlug, r2) = await reader.GetWithResponse($"/v1/people/{created["slug"]}");

        Assert.Equal("\"1\"", r1.ETag());
        Assert.Equal("\"1\"", r2.ETag());
        Assert.True(JsonNode.DeepEquals(created, byId), byId.ToJsonString());
        Assert.True(JsonNode.DeepEquals(created, bySlug), bySlug.ToJsonString());
    }

    [Fact]
    public async Task List_ReturnsItemsAndNullNextCursorOnTheLastPage()
    {
        var token = TestData.Token("lst");
        var one = await Create(Person(name: $"{token} Satu"));
        var two = await Create(Person(name: $"{token} Dua"));

        var (page, response) = await reader.GetWithResponse($"/v1/people?q={token}");

        Assert.Equal(new[] { one.Id(), two.Id() }.Order(), page["items"]!.AsArray().Ids().Order());
        Assert.True(page.ContainsKey("nextCursor"));
        Assert.Null(page["nextCursor"]);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Replace_WithIfMatch_ReplacesEveryFieldAndBumpsVersion()
    {
        var created = await Create(Person());
        var newSlug = TestData.Slug("kamala-harris");
        var response = await admin.Put($"/v1/people/{created.Id()}",
            new { slug = newSlug, name = "Kamala Harris", aliases = new[] { "Harris", "Kamala Haris" }, title = "Wakil Presiden AS" }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal(created.Id(), body.Id());
        Assert.Equal(newSlug, (string?)body["slug"]);
        Assert.Equal("Kamala Harris", (string?)body["name"]);
        Assert.Equal(["Harris", "Kamala Haris"], body["aliases"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Wakil Presiden AS", (string?)body["title"]);
        // PUT replaces: what the body leaves out is gone.
        Assert.Null(body["affiliation"]);
        Assert.Null(body["description"]);
        Assert.Null(body["wikidataId"]);
        Assert.Null(body["imageUrl"]);
        Assert.Equal((string?)created["createdAt"], (string?)body["createdAt"]);
        Assert.True(DateTime.Parse((string)body["updatedAt"]!) > DateTime.Parse((string)created["updatedAt"]!));

        var fetched = await admin.GetOk($"/v1/people/{newSlug}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
        await (await admin.GetAsync($"/v1/people/{created["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Patch_MergePatch_NullClearsArraysReplaceAndTheRestStays()
    {
        var created = await Create(Person(aliases: ["Sullivan", "J. Sullivan"]));
        var response = await admin.Patch($"/v1/people/{created.Id()}",
            new { title = (string?)null, aliases = new[] { "Jake" }, description = "Penasihat sejak 2021" }, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Null(body["title"]);
        Assert.Equal(["Jake"], body["aliases"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Penasihat sejak 2021", (string?)body["description"]);
        Assert.Equal((string?)created["slug"], (string?)body["slug"]);
        Assert.Equal("Jake Sullivan", (string?)body["name"]);
        Assert.Equal("Gedung Putih", (string?)body["affiliation"]);
        Assert.Equal("Q6125217", (string?)body["wikidataId"]);
        Assert.Equal("https://example.com/sullivan.jpg", (string?)body["imageUrl"]);

        var fetched = await admin.GetOk($"/v1/people/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());

        var noAliases = await (await admin.Patch($"/v1/people/{created.Id()}", "{\"aliases\":null,\"imageUrl\":null}", "\"2\"")).Json();
        Assert.Empty(noAliases["aliases"]!.AsArray());
        Assert.Null(noAliases["imageUrl"]);
        Assert.Equal(3, (int)noAliases["version"]!);
    }

    [Fact]
    public async Task Patch_WithTheETagOfAnIncludeVariant_IsAccepted()
    {
        var created = await Create(Person());
        var response = await admin.GetAsync($"/v1/people/{created.Id()}?include=quotes");
        await response.Json();
        var etag = response.ETag();
        Assert.StartsWith("\"1.", etag);

        var patched = await (await admin.Patch($"/v1/people/{created.Id()}", new { affiliation = "Departemen Luar Negeri" }, etag)).Json();
        Assert.Equal(2, (int)patched["version"]!);
    }

    [Fact]
    public async Task Replace_ConcurrentlyWithTheSameIfMatch_OnlyOneWins()
    {
        var created = await Create(Person());
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            admin.Put($"/v1/people/{created.Id()}", Person((string)created["slug"]!, name: $"Writer {i}"), "\"1\"")));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r != winner))
            await loser.Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        var won = await winner.Json();
        var after = await admin.GetOk($"/v1/people/{created.Id()}");
        Assert.Equal(2, (int)after["version"]!);
        Assert.Equal((string?)won["name"], (string?)after["name"]);
    }

    [Fact]
    public async Task Delete_WhenQuoted_Returns409InUseNamingTheQuote()
    {
        var person = await Create(Person());
        var quote = await admin.CreateQuote(person.Id());

        var problem = await (await admin.Delete($"/v1/people/{person.Id()}", "\"1\"")).Problem(HttpStatusCode.Conflict, "in_use");

        Assert.Contains(quote.Id().ToString(), (string?)problem["detail"]);
        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("quote", (string?)user!["type"]);
        Assert.Equal(quote.Id(), user.Id());
        await admin.GetOk($"/v1/people/{person.Id()}");
    }

    [Fact]
    public async Task Delete_WhenLinkedToAnArticle_Returns409InUseNamingTheArticle()
    {
        var person = await Create(Person());
        var article = await admin.CreateArticle(TestData.Article(people: [new { personId = person.Id(), role = "subject" }]));

        var problem = await (await admin.Delete($"/v1/people/{person.Id()}", "\"1\"")).Problem(HttpStatusCode.Conflict, "in_use");

        Assert.Contains(article.Id().ToString(), (string?)problem["detail"]);
        var user = Assert.Single(problem["usedBy"]!.AsArray());
        Assert.Equal("article", (string?)user!["type"]);
        Assert.Equal(article.Id(), user.Id());
    }

    [Theory]
    [InlineData("Jake Sullivan")]
    [InlineData("jake--sullivan")]
    [InlineData("-jake")]
    [InlineData("jake-")]
    [InlineData("")]
    [InlineData("JAKE")]
    [InlineData("jake_sullivan")]
    [InlineData("józef")]
    public async Task Create_WithBadSlug_Returns400(string slug)
    {
        await (await admin.PostAsJsonAsync("/v1/people", Person(slug))).ValidationProblem("slug");
    }

    [Fact]
    public async Task Create_WithSlugOver120Chars_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/people", Person(new string('a', 121)))).ValidationProblem("slug");
    }

    [Theory]
    [InlineData("ftp://example.com/a.jpg")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/images/a.jpg")]
    [InlineData("not a url")]
    public async Task Create_WithNonHttpImageUrl_Returns400(string url)
    {
        await (await admin.PostAsJsonAsync("/v1/people", Person(imageUrl: url))).ValidationProblem("imageUrl");
    }

    [Fact]
    public async Task Create_WithBadWikidataId_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/people", Person(wikidataId: "6125217"))).ValidationProblem("wikidataId");
    }

    [Fact]
    public async Task Create_WithoutNameOrWithNameTooLong_Returns400()
    {
        await (await admin.PostAsJsonAsync("/v1/people", Person(name: ""))).ValidationProblem("name");
        await (await admin.PostAsJsonAsync("/v1/people", Person(name: new string('n', 201)))).ValidationProblem("name");
        await (await admin.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("p") })).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Create_WithReadOnlyFields_Returns400()
    {
        var body = new { slug = TestData.Slug("p"), name = "Jake Sullivan", version = 7 };
        await (await admin.PostAsJsonAsync("/v1/people", body)).ValidationProblem("version");
    }

    [Fact]
    public async Task Patch_WithReadOnlyOrUnknownField_Returns400()
    {
        var created = await Create(Person());
        await (await admin.Patch($"/v1/people/{created.Id()}", new { version = 9 }, "\"1\"")).ValidationProblem("version");
        await (await admin.Patch($"/v1/people/{created.Id()}", new { nickname = "J" }, "\"1\"")).ValidationProblem("nickname");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/people/{created.Id()}"))["version"]!);
    }

    [Fact]
    public async Task Patch_WithInvalidValue_Returns400NamingTheField()
    {
        var created = await Create(Person());
        await (await admin.Patch($"/v1/people/{created.Id()}", new { slug = "Not A Slug" }, "\"1\"")).ValidationProblem("slug");
        await (await admin.Patch($"/v1/people/{created.Id()}", new { imageUrl = "ftp://x/y.jpg" }, "\"1\"")).ValidationProblem("imageUrl");
    }

    [Fact]
    public async Task Patch_NullOnRequiredName_Returns400NamingName()
    {
        var created = await Create(Person());
        await (await admin.Patch($"/v1/people/{created.Id()}", "{\"name\":null}", "\"1\"")).ValidationProblem("name");
    }

    [Fact]
    public async Task List_WithACursorFromAnotherResource_Returns400()
    {
        var token = TestData.Token("cur");
        await admin.CreateSourceNamed($"{token} A");
        await admin.CreateSourceNamed($"{token} B");
        var page = await reader.GetOk($"/v1/sources?q={token}&limit=1");
        await (await reader.GetAsync($"/v1/people?cursor={TestData.Q((string)page["nextCursor"]!)}")).ValidationProblem("cursor");
    }

    [Fact]
    public async Task Get_WithIncludeQuotesAndArticles_EmbedsExactlyTheRelatedRows()
    {
        var person = await Create(Person());
        var other = await Create(Person(name: "Kamala Harris"));
        var q1 = await admin.CreateQuote(person.Id(), text: "Kutipan pertama");
        var q2 = await admin.CreateQuote(person.Id(), text: "Kutipan kedua");
        await admin.CreateQuote(other.Id(), text: "Kutipan orang lain");
        var older = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-2),
            people: [new { personId = person.Id(), role = "subject" }]));
        var newer = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-1),
            people: [new { personId = person.Id(), role = "mentioned" }, new { personId = other.Id(), role = "subject" }]));
        await admin.CreateArticle(TestData.Article(people: [new { personId = other.Id(), role = "subject" }]));

        var body = await admin.GetOk($"/v1/people/{person.Id()}?include=quotes,articles");

        Assert.Equal([q2.Id(), q1.Id()], body["quotes"]!.AsArray().Ids()); // newest first
        Assert.All(body["quotes"]!.AsArray(), q => Assert.Equal(person.Id().ToString(), (string?)q!["speakerId"]));
        Assert.Equal("Kutipan kedua", (string?)body["quotes"]![0]!["text"]);
        Assert.Equal([newer.Id(), older.Id()], body["articles"]!.AsArray().Ids());
        Assert.Equal((string?)newer["title"], (string?)body["articles"]![0]!["title"]);
        Assert.Equal((string?)person["name"], (string?)body["name"]);
    }

    [Fact]
    public async Task Get_WithoutInclude_HasNoEmbeddedObjects()
    {
        var person = await Create(Person());
        await admin.CreateQuote(person.Id());
        await admin.CreateArticle(TestData.Article(people: [new { personId = person.Id(), role = "subject" }]));

        var body = await admin.GetOk($"/v1/people/{person.Id()}");
        Assert.False(body.ContainsKey("quotes"));
        Assert.False(body.ContainsKey("articles"));

        var onlyQuotes = await admin.GetOk($"/v1/people/{person.Id()}?include=quotes");
        Assert.Single(onlyQuotes["quotes"]!.AsArray());
        Assert.False(onlyQuotes.ContainsKey("articles"));
    }

    [Fact]
    public async Task List_WithInclude_EmbedsPerPerson()
    {
        var token = TestData.Token("inc");
        var a = await Create(Person(name: $"{token} A"));
        var b = await Create(Person(name: $"{token} B"));
        var qa = await admin.CreateQuote(a.Id());
        var qb = await admin.CreateQuote(b.Id());

        var page = await admin.GetOk($"/v1/people?q={token}&include=quotes");
        var items = page["items"]!.AsArray().ToDictionary(i => i!.Id());
        Assert.Equal(new[] { a.Id(), b.Id() }.Order(), items.Keys.Order());
        Assert.Equal([qa.Id()], items[a.Id()]!["quotes"]!.AsArray().Ids());
        Assert.Equal([qb.Id()], items[b.Id()]!["quotes"]!.AsArray().Ids());
    }

    [Fact]
    public async Task Get_WithInclude_ForReader_HidesDraftArticlesAndTheirQuotes()
    {
        var person = await Create(Person());
        var publicQuote = await admin.CreateQuote(person.Id(), text: "Kutipan publik");
        var draftQuote = await admin.CreateQuote(person.Id(), text: "Kutipan rahasia");
        var published = await admin.CreatePublishedArticle([publicQuote.Id()]);
        await admin.PostOk("/v1/articles", TestData.Article(quoteIds: [draftQuote.Id()], people: [new { personId = person.Id(), role = "subject" }]));
        await (await admin.Patch($"/v1/articles/{published.Id()}", new { people = new[] { new { personId = person.Id(), role = "subject" } } }, "\"1\"")).Json();

        var body = await reader.GetOk($"/v1/people/{person.Id()}?include=quotes,articles");
        Assert.Equal([publicQuote.Id()], body["quotes"]!.AsArray().Ids());
        Assert.Equal([published.Id()], body["articles"]!.AsArray().Ids());

        var asAdmin = await admin.GetOk($"/v1/people/{person.Id()}?include=quotes,articles");
        Assert.Equal([draftQuote.Id(), publicQuote.Id()], asAdmin["quotes"]!.AsArray().Ids());
        Assert.Equal(2, asAdmin["articles"]!.AsArray().Count);
    }

    [Fact]
    public async Task List_ByQ_IsTypoTolerant()
    {
        var jake = await Create(Person(name: "Jake Sullivan", aliases: ["Sullivan"]));
        var unrelated = await Create(Person(name: $"Zbigniew {TestData.Token("z")}", aliases: []));

        var found = await reader.ListAll($"/v1/people?q={TestData.Q("Jake Sulivan")}&limit=100");

        Assert.Contains(found, p => p.Id() == jake.Id());
        Assert.DoesNotContain(found, p => p.Id() == unrelated.Id());
    }

    [Fact]
    public async Task List_ByQ_MatchesAliases()
    {
        var alias = TestData.Token("alias");
        var person = await Create(Person(name: "Kamala Harris", aliases: ["Harris", alias]));
        var page = await reader.GetOk($"/v1/people?q={alias}");
        Assert.Equal([person.Id()], page["items"]!.AsArray().Ids());
    }
}
