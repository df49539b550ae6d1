using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Quotes;

/// <summary>/v1/quotes through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class QuoteEndpointsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();
    private readonly HttpClient wrongKey = WithKey(factory.CreateClient(), "not-a-key-0123456789");

    private const string Verbatim = "\"Mereka akan menanggung konsekuensinya,\" ujar Sullivan — it's \\ 'final' 김정은 🇰🇵 e\u0301";

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static object Quote(Guid speakerId, string text = "Mereka akan menanggung konsekuensinya di komunitas internasional",
        string language = "id", string type = "direct", Guid? sourceId = null, string? saidOn = "2023-09-06",
        string? speakerRole = "Penasihat Keamanan Nasional AS", string? occasion = "kepada wartawan di Gedung Putih",
        string? sourceUrl = "https://www.afp.com/story", Guid? translationOfId = null, Guid[]? articleIds = null) => new
        {
            text,
            language,
            type,
            speakerId,
            speakerRole,
            saidOn,
            occasion,
            sourceId,
            sourceUrl,
            translationOfId,
            articleIds = articleIds ?? [],
        };

    private async Task<JsonObject> Create(object quote) => await admin.PostOk("/v1/quotes", quote);

    private async Task<Guid> Speaker() => (await admin.CreatePerson()).Id();

    // ---- success paths ----

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
    public async Task Delete_Returns204_ThenGetReturns404()
    {
        var created = await Create(Quote(await Speaker()));
        var response = await admin.Delete($"/v1/quotes/{created.Id()}", "\"1\"");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await admin.GetAsync($"/v1/quotes/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    // ---- documented failures ----

    [Fact]
    public async Task Get_Unknown_Returns404()
    {
        await (await admin.GetAsync($"/v1/quotes/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Writes_ToUnknownId_Return404()
    {
        var speaker = await Speaker();
        var id = Guid.CreateVersion7();
        await (await admin.Put($"/v1/quotes/{id}", Quote(speaker), "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Patch($"/v1/quotes/{id}", new { text = "X" }, "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Delete($"/v1/quotes/{id}", "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_WithoutIfMatch_Returns428AndChangesNothing(string method)
    {
        var speaker = await Speaker();
        var created = await Create(Quote(speaker));
        var url = $"/v1/quotes/{created.Id()}";
        var response = method switch
        {
            "PUT" => await admin.Put(url, Quote(speaker, "Changed"), null),
            "PATCH" => await admin.Patch(url, new { text = "Changed" }, null),
            _ => await admin.Delete(url, null),
        };
        await response.Problem((HttpStatusCode)428, "precondition_required");
        var after = await admin.GetOk(url);
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal((string?)created["text"], (string?)after["text"]);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_WithStaleIfMatch_Returns412AndChangesNothing(string method)
    {
        var speaker = await Speaker();
        var created = await Create(Quote(speaker));
        var url = $"/v1/quotes/{created.Id()}";
        await (await admin.Patch(url, new { occasion = "versi dua" }, "\"1\"")).Json();

        var response = method switch
        {
            "PUT" => await admin.Put(url, Quote(speaker, "Changed"), "\"1\""),
            "PATCH" => await admin.Patch(url, new { text = "Changed" }, "\"1\""),
            _ => await admin.Delete(url, "\"1\""),
        };
        var problem = await response.Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        Assert.Equal(2, (int)problem["currentVersion"]!);
        var after = await admin.GetOk(url);
        Assert.Equal(2, (int)after["version"]!);
        Assert.Equal((string?)created["text"], (string?)after["text"]);
        Assert.Equal("versi dua", (string?)after["occasion"]);
    }

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
    public async Task Create_WithUnknownField_Returns400NamingIt()
    {
        var speaker = await Speaker();
        var body = new { text = "x", language = "id", type = "direct", speakerId = speaker, speaker = "Jake" };
        await (await admin.PostAsJsonAsync("/v1/quotes", body)).ValidationProblem("speaker");
    }

    [Fact]
    public async Task Create_WithMalformedJson_Returns400Problem()
    {
        await (await admin.PostAsync("/v1/quotes", new StringContent("{\"text\": \"unterminated", Encoding.UTF8, "application/json")))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Create_WithWrongContentType_Returns415()
    {
        var json = $"{{\"text\":\"x\",\"language\":\"id\",\"type\":\"direct\",\"speakerId\":\"{await Speaker()}\"}}";
        await (await admin.PostAsync("/v1/quotes", new StringContent(json, Encoding.UTF8, "text/plain")))
            .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Patch_WithApplicationJson_Returns415()
    {
        var created = await Create(Quote(await Speaker()));
        await (await admin.Patch($"/v1/quotes/{created.Id()}", new { text = "X" }, "\"1\"", "application/json"))
            .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
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
    public async Task List_WithUnknownQueryParameter_Returns400()
    {
        await (await admin.GetAsync("/v1/quotes?speaker=jake-sullivan")).ValidationProblem("speaker");
    }

    [Fact]
    public async Task List_AndGet_WithUnknownInclude_Return400()
    {
        var created = await Create(Quote(await Speaker()));
        await (await admin.GetAsync("/v1/quotes?include=people")).ValidationProblem("include");
        await (await admin.GetAsync($"/v1/quotes/{created.Id()}?include=speaker,translations")).ValidationProblem("include");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task List_WithLimitOutOfRange_Returns400(string limit)
    {
        await (await admin.GetAsync($"/v1/quotes?limit={limit}")).ValidationProblem("limit");
    }

    [Fact]
    public async Task List_WithTamperedCursor_Returns400()
    {
        var speaker = await Speaker();
        await Create(Quote(speaker, "Satu"));
        await Create(Quote(speaker, "Dua"));
        var cursor = (string)(await admin.GetOk($"/v1/quotes?speakerId={speaker}&limit=1"))["nextCursor"]!;
        await admin.GetOk($"/v1/quotes?speakerId={speaker}&limit=1&cursor={TestData.Q(cursor)}");
        await (await admin.GetAsync($"/v1/quotes?speakerId={speaker}&limit=1&cursor={TestData.Q(TestData.Tamper(cursor))}")).ValidationProblem("cursor");
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

    // ---- relations ----

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

    // ---- includes ----

    [Fact]
    public async Task Get_WithIncludeSpeakerSourceArticles_EmbedsExactlyTheRelatedRows()
    {
        var speaker = await admin.CreatePerson("Jake Sullivan", "Sullivan");
        var source = await admin.CreateSource("AFP");
        var quote = await Create(Quote(speaker.Id(), sourceId: source.Id()));
        var older = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-2), quoteIds: [quote.Id()]));
        var newer = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(-1), quoteIds: [quote.Id()]));
        await admin.CreateArticle(TestData.Article(quoteIds: [(await Create(Quote(speaker.Id(), "Lain"))).Id()]));

        var body = await admin.GetOk($"/v1/quotes/{quote.Id()}?include=speaker,source,articles");

        Assert.Equal(speaker.Id(), body["speaker"]!.Id());
        Assert.Equal("Jake Sullivan", (string?)body["speaker"]!["name"]);
        Assert.Equal(speaker.Id().ToString(), (string?)body["speakerId"]);
        Assert.Equal(source.Id(), body["source"]!.Id());
        Assert.Equal("AFP", (string?)body["source"]!["name"]);
        Assert.Equal(source.Id().ToString(), (string?)body["sourceId"]);
        Assert.Equal([newer.Id(), older.Id()], body["articles"]!.AsArray().Ids());
        Assert.Equal(new[] { older.Id(), newer.Id() }.Select(g => g.ToString()).Order(), body["articleIds"]!.AsArray().Guids().Order());

        var plain = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.False(plain.ContainsKey("speaker"));
        Assert.False(plain.ContainsKey("source"));
        Assert.False(plain.ContainsKey("articles"));

        var onlySpeaker = await admin.GetOk($"/v1/quotes/{quote.Id()}?include=speaker");
        Assert.NotNull(onlySpeaker["speaker"]);
        Assert.False(onlySpeaker.ContainsKey("source"));
        Assert.False(onlySpeaker.ContainsKey("articles"));
    }

    [Fact]
    public async Task List_WithInclude_EmbedsPerQuote()
    {
        var speaker = await admin.CreatePerson("Kamala Harris");
        var reuters = await admin.CreateSource("Reuters");
        var withSource = await Create(Quote(speaker.Id(), "Satu", sourceId: reuters.Id()));
        var withoutSource = await Create(Quote(speaker.Id(), "Dua"));

        var items = (await admin.GetOk($"/v1/quotes?speakerId={speaker.Id()}&include=speaker,source"))["items"]!.AsArray();

        Assert.Equal([withoutSource.Id(), withSource.Id()], items.Ids());
        Assert.All(items, q => Assert.Equal("Kamala Harris", (string?)q!["speaker"]!["name"]));
        Assert.False(items[0]!.AsObject().ContainsKey("source"));
        Assert.Equal(reuters.Id(), items[1]!["source"]!.Id());
    }

    // ---- filters and search ----

    [Fact]
    public async Task List_FiltersBySourceArticleLanguageAndDates()
    {
        var speaker = await Speaker();
        var afp = (await admin.CreateSource("AFP")).Id();
        var reuters = (await admin.CreateSource("Reuters")).Id();
        var q1 = await Create(Quote(speaker, "Satu", "id", sourceId: afp, saidOn: "2023-09-01"));
        var q2 = await Create(Quote(speaker, "Two", "en", sourceId: reuters, saidOn: "2023-09-06"));
        var q3 = await Create(Quote(speaker, "Tiga", "id", sourceId: afp, saidOn: "2023-09-10"));
        var q4 = await Create(Quote(speaker, "Empat", "id", saidOn: null));
        var article = await admin.CreateArticle(TestData.Article(quoteIds: [q3.Id(), q1.Id()]));

        async Task<List<Guid>> Ids(string filter) =>
            (await admin.GetOk($"/v1/quotes?speakerId={speaker}&{filter}"))["items"]!.AsArray().Ids();

        Assert.Equal([q4.Id(), q3.Id(), q2.Id(), q1.Id()], await Ids("limit=100"));
        Assert.Equal([q3.Id(), q1.Id()], await Ids($"sourceId={afp}"));
        Assert.Equal([q2.Id()], await Ids($"sourceId={reuters}"));
        Assert.Equal([q3.Id(), q1.Id()], await Ids($"articleId={article.Id()}"));
        Assert.Equal([q2.Id()], await Ids("language=en"));
        Assert.Equal([q4.Id(), q3.Id(), q1.Id()], await Ids("language=id"));
        Assert.Equal([q3.Id(), q2.Id()], await Ids("saidAfter=2023-09-05"));
        Assert.Equal([q2.Id(), q1.Id()], await Ids("saidBefore=2023-09-07"));
        Assert.Equal([q2.Id()], await Ids("saidAfter=2023-09-02&saidBefore=2023-09-09"));
        Assert.Empty(await Ids($"sourceId={afp}&language=en"));
        Assert.Equal([q2.Id()], (await admin.GetOk($"/v1/quotes?sourceId={reuters}"))["items"]!.AsArray().Ids());
    }

    [Fact]
    public async Task List_ByQ_SearchesIndonesianWithStemming()
    {
        var speaker = await Speaker();
        var threat = await Create(Quote(speaker, "Korea Utara mengancam akan membalas setiap provokasi"));
        var other = await Create(Quote(speaker, "Kami berharap perundingan berjalan lancar"));
        var english = await Create(Quote(speaker, "They threatened the region", "en"));

        var found = (await admin.GetOk($"/v1/quotes?speakerId={speaker}&q=ancam"))["items"]!.AsArray().Ids();
        Assert.Equal([threat.Id()], found);
        Assert.Equal([threat.Id()], (await admin.GetOk($"/v1/quotes?speakerId={speaker}&q=mengancam"))["items"]!.AsArray().Ids());
        Assert.Equal([other.Id()], (await admin.GetOk($"/v1/quotes?speakerId={speaker}&q=perundingan"))["items"]!.AsArray().Ids());
        Assert.Equal([english.Id()], (await admin.GetOk($"/v1/quotes?speakerId={speaker}&q=threatening"))["items"]!.AsArray().Ids());

        var everywhere = await admin.ListAll("/v1/quotes?q=ancam&limit=100");
        Assert.Contains(everywhere, q => q.Id() == threat.Id());
        Assert.DoesNotContain(everywhere, q => q.Id() == other.Id());
    }

    [Fact]
    public async Task List_ByQ_WalksRankedPagesWithoutRepeats()
    {
        var speaker = await Speaker();
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
            ids.Add((await Create(Quote(speaker, i % 2 == 0 ? "Mereka mengancam lagi" : "Ancaman itu nyata, mereka mengancam dan terus mengancam"))).Id());

        var seen = await admin.ListAll($"/v1/quotes?speakerId={speaker}&q=ancam&limit=3");

        Assert.Equal(ids.Order(), seen.Ids().Order());
    }

    // ---- pagination ----

    [Fact]
    public async Task List_WalksEveryPageWithoutGapsOrRepeats_WhileRowsAreAdded()
    {
        var speaker = await Speaker();
        var originals = new List<Guid>();
        for (var batch = 0; batch < 4; batch++)
        {
            var created = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => Create(Quote(speaker, $"Kutipan {batch}-{i}"))));
            originals.AddRange(created.Select(q => q.Id()));
        }

        var added = new List<Guid>();
        var seen = await admin.ListAll($"/v1/quotes?speakerId={speaker}&limit=20", async _ =>
        {
            added.Add((await Create(Quote(speaker, "Ditambahkan di tengah jalan"))).Id());
        });

        var ids = seen.Ids();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var id in originals)
            Assert.Single(ids, x => x == id);
        Assert.All(ids, id => Assert.True(originals.Contains(id) || added.Contains(id)));
        // Newest first: UUID v7 ids order by creation, as PostgreSQL compares them (byte-wise, like their text).
        Assert.Equal(originals.Select(g => g.ToString()).OrderDescending(StringComparer.Ordinal),
            ids.Where(originals.Contains).Select(g => g.ToString()));
    }

    // ---- readers ----

    [Fact]
    public async Task Get_QuoteOfADraftArticleOnly_IsNotFoundForReaders()
    {
        var quote = await Create(Quote(await Speaker()));
        var draft = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));

        await (await reader.GetAsync($"/v1/quotes/{quote.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        var asAdmin = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.Equal([draft.Id().ToString()], asAdmin["articleIds"]!.AsArray().Guids());
        Assert.DoesNotContain(await reader.ListAll($"/v1/quotes?speakerId={quote["speakerId"]}"), q => q.Id() == quote.Id());
    }

    [Fact]
    public async Task Get_QuoteOfAPublishedAndADraftArticle_ShowsReadersOnlyThePublishedOne()
    {
        var quote = await Create(Quote(await Speaker()));
        var published = await admin.CreatePublishedArticle([quote.Id()]);
        var draft = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));

        var body = await reader.GetOk($"/v1/quotes/{quote.Id()}?include=articles");
        Assert.Equal([published.Id().ToString()], body["articleIds"]!.AsArray().Guids());
        Assert.Equal([published.Id()], body["articles"]!.AsArray().Ids());
        Assert.DoesNotContain(draft.Id().ToString(), body.ToJsonString());

        var asAdmin = await admin.GetOk($"/v1/quotes/{quote.Id()}?include=articles");
        Assert.Equal(2, asAdmin["articles"]!.AsArray().Count);
    }

    [Fact]
    public async Task Get_QuoteOfAScheduledArticle_IsNotFoundForReaders()
    {
        var quote = await Create(Quote(await Speaker()));
        await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(1), quoteIds: [quote.Id()]));
        await (await reader.GetAsync($"/v1/quotes/{quote.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    // ---- fields ----

    [Fact]
    public async Task Fields_ReturnsOnlyTheNamedFieldsAndId_OnGetAndList()
    {
        var speaker = await Speaker();
        var quote = await Create(Quote(speaker, Verbatim));

        var one = await admin.GetOk($"/v1/quotes/{quote.Id()}?fields=text,speakerId");
        Assert.Equal(["id", "speakerId", "text"], one.Select(p => p.Key).Order());
        Assert.Equal(Verbatim, (string?)one["text"]);

        var item = Assert.Single((await admin.GetOk($"/v1/quotes?speakerId={speaker}&fields=text"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "text"], item.Select(p => p.Key).Order());

        await (await admin.GetAsync($"/v1/quotes/{quote.Id()}?fields=text,mood")).ValidationProblem("fields");
    }

    // ---- access ----

    [Fact]
    public async Task Writes_ByAnonymous_Return401()
    {
        var speaker = await Speaker();
        var quote = await Create(Quote(speaker));
        var url = $"/v1/quotes/{quote.Id()}";
        await (await reader.PostAsJsonAsync("/v1/quotes", Quote(speaker))).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Put(url, Quote(speaker), "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Patch(url, new { text = "X" }, "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Delete(url, "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(1, (int)(await admin.GetOk(url))["version"]!);
    }

    [Fact]
    public async Task Get_WithWrongKey_Returns401()
    {
        var quote = await Create(Quote(await Speaker()));
        await admin.CreatePublishedArticle([quote.Id()]);
        await reader.GetOk($"/v1/quotes/{quote.Id()}");
        await (await wrongKey.GetAsync($"/v1/quotes/{quote.Id()}")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await wrongKey.GetAsync("/v1/quotes")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
