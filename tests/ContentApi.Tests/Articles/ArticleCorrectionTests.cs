using System.Net;
using System.Text.Json.Nodes;
using ContentApi.Tests.Sync;

namespace ContentApi.Tests.Articles;

/// <summary>Corrections of published articles (issue 25, item 5), through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleCorrectionTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient anonymous = factory.Anonymous();

    // Kept byte for byte: non-ASCII, a line break, inner and trailing spaces.
    private const string Notice = "Koreksi: versi sebelumnya menyebut Sullivan \"Menteri Luar Negeri\";  ia Penasihat Keamanan Nasional.\nDiperbarui pukul 10.15 WIB — é ";

    private static int Version(JsonNode n) => (int)n["version"]!;

    private static JsonArray Corrections(JsonNode article) => article["corrections"]!.AsArray();

    private static string Url(Guid id) => $"/v1/articles/{id}";

    private async Task<JsonArray> Revisions(string type, Guid id) =>
        (await admin.GetOk($"/v1/{type}/{id}/revisions?limit=100"))["items"]!.AsArray();

    /// <summary>The article as PUT takes it, from its editor GET, with changes.</summary>
    private static JsonObject AsPut(JsonObject article, string? title = null, string? correction = null)
    {
        var body = new JsonObject();
        foreach (var name in new[] { "slug", "title", "summary", "language", "status", "publishedAt", "section", "tags", "byline", "heroImage", "body", "people", "sources", "quoteIds" })
            body[name] = article[name]?.DeepClone();
        if (title is not null) body["title"] = title;
        if (correction is not null) body["correction"] = correction;
        return body;
    }

    private static void AssertOneCorrection(JsonNode article, string text)
    {
        var correction = Assert.Single(Corrections(article))!.AsObject();
        Assert.Equal(text, (string?)correction["text"]);
        Assert.Equal(2, correction.Count);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", (string)correction["at"]!);
    }

    [Fact]
    public async Task PutOfPublishedArticleWithCorrection_AppendsOneInTheSameVersion_AndAnonymousReadersSeeIt()
    {
        var created = await admin.CreatePublishedArticle();
        Assert.Empty(Corrections(created));
        var id = created.Id();

        var put = await (await admin.Put(Url(id), AsPut(created, title: "Korea Utara membantah", correction: Notice), TestData.Etag(1))).Json();
        Assert.Equal(2, Version(put));
        Assert.Equal("Korea Utara membantah", (string?)put["title"]);
        AssertOneCorrection(put, Notice);
        // Stamped by the edit that carried it.
        Assert.Equal(ArticleTestData.Time(put["updatedAt"]), ArticleTestData.Time(put["corrections"]![0]!["at"]));

        // One revision for the edit, and it carries the correction.
        var revisions = await Revisions("articles", id);
        Assert.Equal([2, 1], revisions.Select(r => Version(r!)));
        var state = (await admin.GetOk($"/v1/articles/{id}/revisions/2"))["state"]!;
        AssertOneCorrection(state, Notice);

        // Readers: by id, by slug, with include, and in a list with fields=.
        AssertOneCorrection(await anonymous.GetOk(Url(id)), Notice);
        AssertOneCorrection(await anonymous.GetOk($"/v1/articles/{(string)created["slug"]!}?include=quotes,people"), Notice);
        var listed = await anonymous.GetOk($"/v1/articles?tag=korea-utara&updatedSince={TestData.Iso(ArticleTestData.Time(put["updatedAt"]).AddSeconds(-1))}&fields=title,corrections&limit=100");
        var item = listed["items"]!.AsArray().Single(i => i!.Id() == id)!;
        Assert.Equal(["id", "title", "corrections"], item.AsObject().Select(p => p.Key));
        AssertOneCorrection(item, Notice);

        // A later edit without a correction keeps it and adds none.
        var later = await (await admin.Put(Url(id), AsPut(put, title: "Korea Utara membantah lagi"), TestData.Etag(2))).Json();
        Assert.Equal(3, Version(later));
        AssertOneCorrection(later, Notice);
    }

    [Fact]
    public async Task PatchWithOnlyACorrection_AppendsOnePerEdit_InOrder()
    {
        var created = await admin.CreatePublishedArticle();
        var id = created.Id();

        var first = await (await admin.Patch(Url(id), new { correction = "Koreksi pertama." }, TestData.Etag(1))).Json();
        Assert.Equal(2, Version(first));
        AssertOneCorrection(first, "Koreksi pertama.");
        Assert.Equal((string?)created["title"], (string?)first["title"]);

        var second = await (await admin.Patch(Url(id), new { title = "Judul baru", correction = "Koreksi kedua." }, TestData.Etag(2))).Json();
        Assert.Equal(3, Version(second));
        Assert.Equal(["Koreksi pertama.", "Koreksi kedua."], Corrections(second).Select(c => (string?)c!["text"]));
        Assert.Equal(first["corrections"]![0]!.ToJsonString(), second["corrections"]![0]!.ToJsonString());

        var read = await anonymous.GetOk(Url(id));
        Assert.Equal(["Koreksi pertama.", "Koreksi kedua."], Corrections(read).Select(c => (string?)c!["text"]));
        Assert.Equal([3, 2, 1], (await Revisions("articles", id)).Select(r => Version(r!)));
    }

    [Fact]
    public async Task CorrectionOfAPublishedArticle_ReachesTheSyncFeed()
    {
        var created = await admin.CreatePublishedArticle();
        var id = created.Id();
        var sync = new SyncClient(anonymous);
        await sync.SyncUntilAsync(_ => Task.FromResult(sync.State.TryGetValue(("article", id), out var v) && v == 1), limit: 100);
        Assert.Empty(Corrections(sync.Data[("article", id)]));

        await (await admin.Patch(Url(id), new { correction = Notice }, TestData.Etag(1))).Json();
        var items = await sync.SyncUntilAsync(all => Task.FromResult(all.Any(i => i.Id() == id)), limit: 100);
        var upsert = Assert.Single(items, i => i.Id() == id);
        Assert.Equal("upsert", (string?)upsert["op"]);
        Assert.Equal(2, Version(upsert));
        AssertOneCorrection(upsert["data"]!, Notice);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public async Task QuoteCorrection_ReachesEveryPublishedArticleUsingIt_AndNoDraft(string method)
    {
        var speaker = (await admin.CreatePerson()).Id();
        var quote = await admin.CreateQuote(speaker);
        var quoteId = quote.Id();
        var published = new[] { await admin.CreatePublishedArticle([quoteId]), await admin.CreatePublishedArticle([quoteId]) };
        var draft = await admin.CreateArticle(TestData.Article(quoteIds: [quoteId]));
        // Linking bumped the quote once per article.
        var quoteNow = await admin.GetOk($"/v1/quotes/{quoteId}");
        // Readers' answers are now in the output cache: the quote's write must evict them.
        foreach (var article in published)
            Assert.Empty(Corrections(await anonymous.GetOk(Url(article.Id()))));

        var text = "Kutipan ini sebelumnya keliru ditulis “kesalahan kecil”.";
        var response = method == "PATCH"
            ? await admin.Patch($"/v1/quotes/{quoteId}", new { text = "Saya pikir itu akan menjadi kesalahan besar sekali.", correction = text }, TestData.Etag(Version(quoteNow)))
            : await admin.Put($"/v1/quotes/{quoteId}", new
            {
                text = "Saya pikir itu akan menjadi kesalahan besar sekali.", language = "id", type = "direct", speakerId = speaker,
                saidOn = "2023-09-07", occasion = "wawancara", articleIds = quoteNow["articleIds"]!.Guids(), correction = text,
            }, TestData.Etag(Version(quoteNow)));
        var updated = await response.Json();
        Assert.Equal(Version(quoteNow) + 1, Version(updated));
        Assert.False(updated.ContainsKey("correction"));

        foreach (var article in published)
        {
            var read = await anonymous.GetOk(Url(article.Id()));
            Assert.Equal(Version(article) + 1, Version(read));
            AssertOneCorrection(read, text);
            var revisions = await Revisions("articles", article.Id());
            Assert.Equal(Version(article) + 1, Version(revisions[0]!));
            Assert.Equal("update", (string?)revisions[0]!["op"]);
            AssertOneCorrection((await admin.GetOk($"/v1/articles/{article.Id()}/revisions/{Version(article) + 1}"))["state"]!, text);
        }
        var draftNow = await admin.GetOk(Url(draft.Id()));
        Assert.Equal(Version(draft), Version(draftNow));
        Assert.Empty(Corrections(draftNow));
        Assert.Equal(Version(draft), (await Revisions("articles", draft.Id())).Count);
    }

    [Fact]
    public async Task CorrectionWhereNothingIsPublic_Is422NamingCorrection_AndWritesNothing()
    {
        var draft = await admin.CreateArticle(TestData.Article());
        var scheduled = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(2)));
        var archived = await admin.CreateArticle(TestData.Article(status: "archived", publishedAt: DateTime.UtcNow.AddDays(-2)));
        foreach (var article in new[] { draft, scheduled, archived })
        {
            var id = article.Id();
            await (await admin.Put(Url(id), AsPut(article, title: "Judul lain", correction: "Koreksi."), TestData.Etag(1)))
                .ValidationProblem("correction", HttpStatusCode.UnprocessableEntity);
            await (await admin.Patch(Url(id), new { correction = "Koreksi." }, TestData.Etag(1)))
                .ValidationProblem("correction", HttpStatusCode.UnprocessableEntity);
            var now = await admin.GetOk(Url(id));
            Assert.Equal(1, Version(now));
            Assert.Equal((string?)article["title"], (string?)now["title"]);
            Assert.Empty(Corrections(now));
            Assert.Single(await Revisions("articles", id));
        }

        // A create has nothing published to correct either, and creates nothing.
        var slug = TestData.Slug("koreksi");
        var create = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestData.Article(slug: slug, status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5)), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        create["correction"] = "Koreksi.";
        await (await admin.Send(HttpMethod.Post, "/v1/articles", create.ToJsonString()))
            .ValidationProblem("correction", HttpStatusCode.UnprocessableEntity);
        await (await admin.GetAsync($"/v1/articles/{slug}")).Problem(HttpStatusCode.NotFound, "not_found");

        // A quote only a draft uses: no article to correct, and the quote stays as it was.
        var speaker = (await admin.CreatePerson()).Id();
        var quote = await admin.CreateQuote(speaker, articleIds: [draft.Id()]);
        await (await admin.Patch($"/v1/quotes/{quote.Id()}", new { text = "Kata lain.", correction = "Koreksi." }, TestData.Etag(Version(quote))))
            .ValidationProblem("correction", HttpStatusCode.UnprocessableEntity);
        var quoteNow = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.Equal(Version(quote), Version(quoteNow));
        Assert.Equal((string?)quote["text"], (string?)quoteNow["text"]);
        await (await admin.Send(HttpMethod.Post, "/v1/quotes", new { text = "Kata.", language = "id", type = "direct", speakerId = speaker, correction = "Koreksi." }))
            .ValidationProblem("correction", HttpStatusCode.UnprocessableEntity);
    }

    public static TheoryData<string> InvalidCorrections => new() { "", "   \n\t", new string('k', 2001), "Koreksi\0" };

    [Theory]
    [MemberData(nameof(InvalidCorrections))]
    public async Task InvalidCorrection_Is400NamingCorrection_AndWritesNothing(string correction)
    {
        var created = await admin.CreatePublishedArticle();
        var id = created.Id();
        await (await admin.Put(Url(id), AsPut(created, title: "Judul lain", correction: correction), TestData.Etag(1)))
            .ValidationProblem("correction");
        await (await admin.Patch(Url(id), new { title = "Judul lain", correction }, TestData.Etag(1)))
            .ValidationProblem("correction");
        var speaker = (await admin.CreatePerson()).Id();
        var quote = await admin.CreateQuote(speaker, articleIds: [id]);
        await (await admin.Patch($"/v1/quotes/{quote.Id()}", new { correction }, TestData.Etag(Version(quote))))
            .ValidationProblem("correction");

        var now = await admin.GetOk(Url(id));
        Assert.Equal(2, Version(now)); // the quote's link, nothing else
        Assert.Equal((string?)created["title"], (string?)now["title"]);
        Assert.Empty(Corrections(now));
        Assert.Equal(2, (await Revisions("articles", id)).Count);
        Assert.Equal(Version(quote), Version(await admin.GetOk($"/v1/quotes/{quote.Id()}")));

        // The longest allowed goes through.
        var longest = new string('k', 2000);
        AssertOneCorrection(await (await admin.Patch(Url(id), new { correction = longest }, TestData.Etag(2))).Json(), longest);
    }

    [Fact]
    public async Task Corrections_CannotBeSetEditedOrRemovedByARequest()
    {
        var created = await admin.CreatePublishedArticle();
        var id = created.Id();
        var corrected = await (await admin.Patch(Url(id), new { correction = Notice }, TestData.Etag(1))).Json();

        var put = AsPut(corrected);
        put["corrections"] = new JsonArray();
        await (await admin.Put(Url(id), put, TestData.Etag(2))).ValidationProblem("corrections");
        await (await admin.Patch(Url(id), new { corrections = Array.Empty<object>() }, TestData.Etag(2))).ValidationProblem("corrections");
        await (await admin.Patch(Url(id), new { corrections = new[] { new { at = "2023-01-01T00:00:00Z", text = "palsu" } } }, TestData.Etag(2)))
            .ValidationProblem("corrections");
        var create = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestData.Article(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        create["corrections"] = new JsonArray(new JsonObject { ["at"] = "2023-01-01T00:00:00Z", ["text"] = "palsu" });
        await (await admin.Send(HttpMethod.Post, "/v1/articles", create.ToJsonString())).ValidationProblem("corrections");

        var now = await admin.GetOk(Url(id));
        Assert.Equal(2, Version(now));
        Assert.Equal(corrected["corrections"]!.ToJsonString(), now["corrections"]!.ToJsonString());
    }

    [Fact]
    public async Task RestoreOfAnOlderRevision_AndUndelete_KeepTheCorrectionsPublishedSince()
    {
        var created = await admin.CreatePublishedArticle(title: "Judul pertama");
        var id = created.Id();
        var corrected = await (await admin.Put(Url(id), AsPut(created, title: "Judul kedua", correction: Notice), TestData.Etag(1))).Json();

        var restored = await (await admin.Send(HttpMethod.Post, $"{Url(id)}/revisions/1/restore", null, TestData.Etag(2))).Json();
        Assert.Equal(3, Version(restored));
        Assert.Equal("Judul pertama", (string?)restored["title"]);
        Assert.Equal(corrected["corrections"]!.ToJsonString(), restored["corrections"]!.ToJsonString());
        Assert.Equal(corrected["corrections"]!.ToJsonString(), (await anonymous.GetOk(Url(id)))["corrections"]!.ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete(Url(id), TestData.Etag(3))).StatusCode);
        var undeleted = await (await admin.Send(HttpMethod.Post, $"{Url(id)}/restore")).Json();
        Assert.Equal(5, Version(undeleted));
        Assert.Equal(corrected["corrections"]!.ToJsonString(), undeleted["corrections"]!.ToJsonString());
    }

    [Fact]
    public async Task ReadersNeverSeeTheCorrectionsOfAnArticleTheyCannotSee()
    {
        var speaker = (await admin.CreatePerson()).Id();
        var quote = await admin.CreateQuote(speaker);
        var created = await admin.CreatePublishedArticle([quote.Id()]);
        var id = created.Id();
        var secret = "Koreksi internal " + TestData.Token();
        var corrected = await (await admin.Patch(Url(id), new { correction = secret }, TestData.Etag(1))).Json();
        var sync = new SyncClient(anonymous);
        await sync.SyncUntilAsync(_ => Task.FromResult(sync.State.TryGetValue(("article", id), out var v) && v == 2), limit: 100);

        var unpublished = await (await admin.Send(HttpMethod.Post, $"{Url(id)}/unpublish", null, TestData.Etag(Version(corrected)))).Json();
        Assert.Equal("draft", (string?)unpublished["status"]);
        AssertOneCorrection(unpublished, secret); // editors still see it

        await (await anonymous.GetAsync(Url(id))).Problem(HttpStatusCode.NotFound, "not_found");
        var listed = await anonymous.GetAsync($"/v1/articles?updatedSince={TestData.Iso(DateTime.UtcNow.AddMinutes(-10))}&fields=corrections&limit=100");
        Assert.DoesNotContain(secret, (await listed.Json()).ToJsonString());
        await (await anonymous.GetAsync($"/v1/quotes/{quote.Id()}?include=articles")).Problem(HttpStatusCode.NotFound, "not_found");

        var items = await sync.SyncUntilAsync(all => Task.FromResult(all.Any(i => i.Id() == id)), limit: 100);
        var tombstone = Assert.Single(items, i => i.Id() == id);
        Assert.Equal("delete", (string?)tombstone["op"]);
        Assert.DoesNotContain(secret, string.Join("\n", items.Select(i => i.ToJsonString())));
        Assert.False(sync.Data.ContainsKey(("article", id)));
    }
}
