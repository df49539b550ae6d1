using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Articles;

/// <summary>/v1/articles through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleEndpointsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();
    private readonly HttpClient wrongKey = WithKey(factory.CreateClient(), "not-a-key-0123456789");

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static DateTime WholeSeconds(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static DateTime Time(JsonNode? node) =>
        DateTime.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    private async Task<List<Guid>> ListIds(HttpClient client, string query) =>
        (await client.GetOk($"/v1/articles?{query}"))["items"]!.AsArray().Ids();

    private static object Paragraph(string text) => new { type = "paragraph", text };

    private async Task<JsonObject> Quote(Guid speakerId, Guid? sourceId = null, string text = "Mereka akan menanggung konsekuensinya") =>
        await admin.CreateQuote(speakerId, sourceId, text);

    // ---- success paths ----

    [Fact]
    public async Task Create_Returns201WithLocationETagAndBody()
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await Quote(person.Id(), source.Id());
        var slug = TestData.Slug("as-wanti-wanti-korut");
        var request = new
        {
            slug,
            title = "AS Wanti-wanti Korut soal Senjata untuk Rusia",
            summary = "Gedung Putih memperingatkan Pyongyang.",
            language = "id",
            status = "draft",
            publishedAt = (DateTime?)null,
            section = "Internasional",
            tags = new[] { "korea-utara", "rusia" },
            byline = "Tim Redaksi",
            heroImage = new { url = "https://example.com/hero.jpg", alt = "Kim dan Putin", caption = "Pertemuan 2019" },
            body = new object[]
            {
                new { type = "heading", text = "Latar belakang", level = 2 },
                Paragraph("Pemerintah AS mengancam, Korut akan menghadapi konsekuensi."),
                new { type = "quote", quoteId = quote.Id() },
                new { type = "image", url = "https://example.com/a.jpg", alt = "Kim Jong Un", caption = "Foto: KCNA" },
                new { type = "embed", url = "https://www.youtube.com/watch?v=abc", title = "Video pertemuan", kind = "video" },
            },
            people = new[] { new { personId = person.Id(), role = "subject" } },
            sources = new[] { new { sourceId = source.Id(), relation = "reported-via" } },
            quoteIds = new[] { quote.Id() },
        };

        var response = await admin.PostAsJsonAsync("/v1/articles", request);
        var body = await response.Json(HttpStatusCode.Created);

        var id = body.Id();
        Assert.Equal(7, id.Version);
        Assert.Equal("\"1\"", response.ETag());
        Assert.EndsWith($"/v1/articles/{id}", response.Headers.Location!.ToString());
        Assert.Equal(slug, (string?)body["slug"]);
        Assert.Equal("AS Wanti-wanti Korut soal Senjata untuk Rusia", (string?)body["title"]);
        Assert.Equal("Gedung Putih memperingatkan Pyongyang.", (string?)body["summary"]);
        Assert.Equal("id", (string?)body["language"]);
        Assert.Equal("draft", (string?)body["status"]);
        Assert.Null(body["publishedAt"]);
        Assert.Equal("Internasional", (string?)body["section"]);
        Assert.Equal(["korea-utara", "rusia"], body["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("Tim Redaksi", (string?)body["byline"]);
        Assert.Equal("https://example.com/hero.jpg", (string?)body["heroImage"]!["url"]);
        Assert.Equal("Kim dan Putin", (string?)body["heroImage"]!["alt"]);
        Assert.Equal("Pertemuan 2019", (string?)body["heroImage"]!["caption"]);

        var blocks = body["body"]!.AsArray();
        Assert.Equal(["heading", "paragraph", "quote", "image", "embed"], blocks.Select(b => (string)b!["type"]!));
        Assert.Equal("Latar belakang", (string?)blocks[0]!["text"]);
        Assert.Equal(2, (int)blocks[0]!["level"]!);
        Assert.Equal("Pemerintah AS mengancam, Korut akan menghadapi konsekuensi.", (string?)blocks[1]!["text"]);
        Assert.Equal(quote.Id().ToString(), (string?)blocks[2]!["quoteId"]);
        Assert.Equal("https://example.com/a.jpg", (string?)blocks[3]!["url"]);
        Assert.Equal("Kim Jong Un", (string?)blocks[3]!["alt"]);
        Assert.Equal("Foto: KCNA", (string?)blocks[3]!["caption"]);
        Assert.Equal("https://www.youtube.com/watch?v=abc", (string?)blocks[4]!["url"]);
        Assert.Equal("Video pertemuan", (string?)blocks[4]!["title"]);
        Assert.Equal("video", (string?)blocks[4]!["kind"]);

        var link = Assert.Single(body["people"]!.AsArray());
        Assert.Equal(person.Id().ToString(), (string?)link!["personId"]);
        Assert.Equal("subject", (string?)link["role"]);
        var sourceLink = Assert.Single(body["sources"]!.AsArray());
        Assert.Equal(source.Id().ToString(), (string?)sourceLink!["sourceId"]);
        Assert.Equal("reported-via", (string?)sourceLink["relation"]);
        Assert.Equal([quote.Id().ToString()], body["quoteIds"]!.AsArray().Guids());
        Assert.Equal(1, (int)body["version"]!);
        Assert.NotNull(body["createdAt"]);
        Assert.NotNull(body["updatedAt"]);

        var fetched = await admin.GetOk(response.Headers.Location!.ToString());
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task GetByIdAndBySlug_ReturnTheSameArticleWithETag()
    {
        var created = await admin.CreatePublishedArticle();
        var (byId, r1) = await reader.GetWithResponse($"/v1/articles/{created.Id()}");
        var (bySlug, r2) = await reader.GetWithResponse($"/v1/articles/{created["slug"]}");
        Assert.Equal("\"1\"", r1.ETag());
        Assert.Equal("\"1\"", r2.ETag());
        Assert.True(JsonNode.DeepEquals(created, byId), byId.ToJsonString());
        Assert.True(JsonNode.DeepEquals(created, bySlug), bySlug.ToJsonString());
    }

    [Fact]
    public async Task List_ByTag_ReturnsItemsAndNullNextCursorOnTheLastPage()
    {
        var tag = TestData.Token("tag");
        var draft = await Create(TestData.Article(tags: [tag]));
        var published = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-1), tags: [tag, "lain"]));

        var (page, response) = await admin.GetWithResponse($"/v1/articles?tag={tag}");
        Assert.Equal([published.Id(), draft.Id()], page["items"]!.AsArray().Ids());
        Assert.True(page.ContainsKey("nextCursor"));
        Assert.Null(page["nextCursor"]);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal([published.Id()], await ListIds(reader, $"tag={tag}"));
    }

    [Fact]
    public async Task Replace_WithIfMatch_ReplacesEverythingAndBumpsVersion()
    {
        var person = await admin.CreatePerson();
        var created = await Create(TestData.Article(people: [new { personId = person.Id(), role = "subject" }]));
        var other = await admin.CreatePerson("Kamala Harris");
        var request = new
        {
            slug = (string)created["slug"]!,
            title = "Judul baru",
            language = "id",
            body = new[] { Paragraph("Isi baru.") },
            people = new[] { new { personId = other.Id(), role = "author" } },
        };

        var response = await admin.Put($"/v1/articles/{created.Id()}", request, "\"1\"");
        var body = await response.Json();

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal("Judul baru", (string?)body["title"]);
        Assert.Equal("Isi baru.", (string?)Assert.Single(body["body"]!.AsArray())!["text"]);
        var link = Assert.Single(body["people"]!.AsArray());
        Assert.Equal(other.Id().ToString(), (string?)link!["personId"]);
        Assert.Equal("author", (string?)link["role"]);
        // PUT replaces: what the body leaves out is gone or back to its default.
        Assert.Null(body["summary"]);
        Assert.Null(body["section"]);
        Assert.Empty(body["tags"]!.AsArray());
        Assert.Equal("draft", (string?)body["status"]);
        Assert.Equal((string?)created["createdAt"], (string?)body["createdAt"]);

        var fetched = await admin.GetOk($"/v1/articles/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(body, fetched), fetched.ToJsonString());
        Assert.Empty(await ListIds(admin, $"personId={person.Id()}"));
        Assert.Equal([created.Id()], await ListIds(admin, $"personId={other.Id()}"));
    }

    [Fact]
    public async Task Patch_MergePatch_NestedObjectsMergeNullClearsArraysReplace()
    {
        var article = TestData.Article(tags: ["satu", "dua"], body: [Paragraph("Satu."), Paragraph("Dua.")]);
        var created = await Create(article);
        var withHero = await (await admin.Patch($"/v1/articles/{created.Id()}",
            new { heroImage = new { url = "https://example.com/h.jpg", alt = "Alt", caption = "Keterangan" } }, "\"1\"")).Json();
        Assert.Equal(2, (int)withHero["version"]!);

        var response = await admin.Patch($"/v1/articles/{created.Id()}", new
        {
            summary = (string?)null,
            heroImage = new { caption = "Keterangan baru" },
            tags = new[] { "tiga" },
            body = new[] { Paragraph("Tiga.") },
        }, "\"2\"");
        var body = await response.Json();

        Assert.Equal("\"3\"", response.ETag());
        Assert.Equal(3, (int)body["version"]!);
        Assert.Null(body["summary"]);
        Assert.Equal("https://example.com/h.jpg", (string?)body["heroImage"]!["url"]);
        Assert.Equal("Alt", (string?)body["heroImage"]!["alt"]);
        Assert.Equal("Keterangan baru", (string?)body["heroImage"]!["caption"]);
        Assert.Equal(["tiga"], body["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["Tiga."], body["body"]!.AsArray().Select(b => (string)b!["text"]!));
        Assert.Equal((string?)created["title"], (string?)body["title"]);
        Assert.Equal((string?)created["slug"], (string?)body["slug"]);
        Assert.Equal("Internasional", (string?)body["section"]);

        var cleared = await (await admin.Patch($"/v1/articles/{created.Id()}", "{\"heroImage\":null,\"section\":null}", "\"3\"")).Json();
        Assert.Null(cleared["heroImage"]);
        Assert.Null(cleared["section"]);
        Assert.Equal(4, (int)cleared["version"]!);

        var fetched = await admin.GetOk($"/v1/articles/{created.Id()}");
        Assert.True(JsonNode.DeepEquals(cleared, fetched), fetched.ToJsonString());
    }

    [Fact]
    public async Task Patch_TitleOnly_RoundTripsEveryTextByteForByte()
    {
        string[] texts =
        [
            "Pemimpin Korea Utara Kim Jong Un (김정은) tiba di Vladivostok — \"kunjungan bersejarah\", kata KCNA.",
            "قال المتحدث باسم الكرملين: «لا تعليق» 🇰🇵🇷🇺",
            "Tanda gabung: e\u0301 a\u0308 n\u0303 (terurai) lawan é ä ñ (tersusun); ZWJ 👩\u200D👩\u200D👧; ☺\uFE0F",
            "Kutip 'tunggal' \"ganda\" ‘lengkung’ “lengkung” it's; garis miring terbalik \\ dan \\n harfiah; tab\tdi sini; </script><!-- -->",
            "  spasi di depan dan di belakang  ",
            "Baris satu\nBaris dua\r\nBaris tiga\u2028pemisah \u00A0nbsp",
        ];
        var summary = "Ringkasan: Kim Jong Un (김정은) & Putin — «تعليق» 🇰🇵 e\u0301 \\ \"x\"";
        var body = texts.Select(Paragraph).Concat(
        [
            new { type = "heading", text = "김정은과 푸틴 🇰🇵 — \"회담\"", level = 3 },
            new { type = "image", url = "https://example.com/a.jpg", alt = "صورة: كيم جونغ أون", caption = "Foto \\ 'KCNA' 🇰🇵" },
            new { type = "embed", url = "https://example.com/v", title = "Video: \"Kim\" 🇷🇺 e\u0301", kind = "video" },
        ]).ToArray();
        var created = await Create(new
        {
            slug = TestData.Slug("unicode"),
            title = "Judul lama",
            summary,
            language = "id",
            body,
        });

        var patched = await (await admin.Patch($"/v1/articles/{created.Id()}", new { title = "Judul baru 김정은 🇰🇵" }, "\"1\"")).Json();
        var fetched = await admin.GetOk($"/v1/articles/{created.Id()}");

        foreach (var article in new[] { patched, fetched })
        {
            Assert.Equal("Judul baru 김정은 🇰🇵", (string?)article["title"]);
            Assert.Equal(summary, (string?)article["summary"]);
            var blocks = article["body"]!.AsArray();
            Assert.Equal(texts.Length + 3, blocks.Count);
            for (var i = 0; i < texts.Length; i++)
                Assert.Equal(texts[i], (string?)blocks[i]!["text"]);
            Assert.Equal("김정은과 푸틴 🇰🇵 — \"회담\"", (string?)blocks[texts.Length]!["text"]);
            Assert.Equal("صورة: كيم جونغ أون", (string?)blocks[texts.Length + 1]!["alt"]);
            Assert.Equal("Foto \\ 'KCNA' 🇰🇵", (string?)blocks[texts.Length + 1]!["caption"]);
            Assert.Equal("Video: \"Kim\" 🇷🇺 e\u0301", (string?)blocks[texts.Length + 2]!["title"]);
            Assert.True(JsonNode.DeepEquals(created["body"], article["body"]));
        }
        // Byte for byte: the decomposed é stays two code points, nothing is normalised.
        Assert.Equal("e\u0301".Length, ((string)fetched["body"]![2]!["text"]!).Split(' ')[2].Length);
    }

    [Fact]
    public async Task Delete_Returns204_ThenGet404_AndLinkedRowsRemain()
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await Quote(person.Id());
        var created = await Create(TestData.Article(quoteIds: [quote.Id()],
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "cited" }]));
        var quoteVersion = (int)(await admin.GetOk($"/v1/quotes/{quote.Id()}"))["version"]!;

        var response = await admin.Delete($"/v1/articles/{created.Id()}", "\"1\"");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        await (await admin.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/v1/articles/{created["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        var quoteAfter = await admin.GetOk($"/v1/quotes/{quote.Id()}");
        Assert.Empty(quoteAfter["articleIds"]!.AsArray());
        Assert.Equal(quoteVersion + 1, (int)quoteAfter["version"]!);
        await admin.GetOk($"/v1/people/{person.Id()}");
        await admin.GetOk($"/v1/sources/{source.Id()}");
        // The links went with the article: the source is no longer in use.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/sources/{source.Id()}", "\"1\"")).StatusCode);
    }

    // ---- publish / unpublish ----

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

    // ---- documented failures ----

    [Fact]
    public async Task Create_WithDuplicateSlug_Returns409()
    {
        var slug = TestData.Slug("dup");
        await Create(TestData.Article(slug));
        var problem = await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(slug, title: "Lain"))).Problem(HttpStatusCode.Conflict, "slug_taken");
        Assert.True(problem["errors"]!.AsObject().ContainsKey("slug"));
        Assert.Equal("Korea Utara mendukung Rusia", (string?)(await admin.GetOk($"/v1/articles/{slug}"))["title"]);
    }

    [Fact]
    public async Task Replace_WithAnotherArticlesSlug_Returns409AndChangesNothing()
    {
        var first = await Create(TestData.Article());
        var second = await Create(TestData.Article());
        await (await admin.Put($"/v1/articles/{second.Id()}", TestData.Article((string)first["slug"]!), "\"1\"")).Problem(HttpStatusCode.Conflict, "slug_taken");
        await (await admin.Patch($"/v1/articles/{second.Id()}", new { slug = (string)first["slug"]! }, "\"1\"")).Problem(HttpStatusCode.Conflict, "slug_taken");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/articles/{second.Id()}"))["version"]!);
    }

    [Fact]
    public async Task Get_Unknown_Returns404()
    {
        await (await admin.GetAsync($"/v1/articles/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/v1/articles/{TestData.Slug("nothing")}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Writes_ToUnknownId_Return404()
    {
        var id = Guid.CreateVersion7();
        await (await admin.Put($"/v1/articles/{id}", TestData.Article(), "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Patch($"/v1/articles/{id}", new { title = "X" }, "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Delete($"/v1/articles/{id}", "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_WithoutIfMatch_Returns428AndChangesNothing(string method)
    {
        var created = await Create(TestData.Article());
        var url = $"/v1/articles/{created.Id()}";
        var response = method switch
        {
            "PUT" => await admin.Put(url, TestData.Article((string)created["slug"]!, title: "Changed"), null),
            "PATCH" => await admin.Patch(url, new { title = "Changed" }, null),
            _ => await admin.Delete(url, null),
        };
        await response.Problem((HttpStatusCode)428, "precondition_required");
        var after = await admin.GetOk(url);
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal("Korea Utara mendukung Rusia", (string?)after["title"]);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_WithStaleIfMatch_Returns412AndChangesNothing(string method)
    {
        var created = await Create(TestData.Article());
        var url = $"/v1/articles/{created.Id()}";
        await (await admin.Patch(url, new { section = "Dunia" }, "\"1\"")).Json();

        var response = method switch
        {
            "PUT" => await admin.Put(url, TestData.Article((string)created["slug"]!, title: "Changed"), "\"1\""),
            "PATCH" => await admin.Patch(url, new { title = "Changed" }, "\"1\""),
            _ => await admin.Delete(url, "\"1\""),
        };
        var problem = await response.Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        Assert.Equal(2, (int)problem["currentVersion"]!);
        var after = await admin.GetOk(url);
        Assert.Equal(2, (int)after["version"]!);
        Assert.Equal("Korea Utara mendukung Rusia", (string?)after["title"]);
        Assert.Equal("Dunia", (string?)after["section"]);
    }

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

    // ---- validation limits ----

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
    public async Task Create_WithUnknownField_Returns400NamingIt()
    {
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestData.Article(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        json["author"] = "Tim";
        await (await admin.PostAsync("/v1/articles", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"))).ValidationProblem("author");
        await (await admin.PostAsJsonAsync("/v1/articles", TestData.Article(body: [new { type = "paragraph", text = "x", bold = true }])))
            .ValidationProblem("body[0].bold");
    }

    [Fact]
    public async Task Create_WithMalformedJson_Returns400Problem()
    {
        var response = await admin.PostAsync("/v1/articles", new StringContent("{\"slug\": \"a\", \"body\": [", Encoding.UTF8, "application/json"));
        var problem = await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.DoesNotContain("at ", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_WithWrongContentType_Returns415()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(TestData.Article(), System.Text.Json.JsonSerializerOptions.Web);
        await (await admin.PostAsync("/v1/articles", new StringContent(json, Encoding.UTF8, "text/plain")))
            .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Patch_WithApplicationJson_Returns415()
    {
        var created = await Create(TestData.Article());
        await (await admin.Patch($"/v1/articles/{created.Id()}", new { title = "X" }, "\"1\"", "application/json"))
            .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/articles/{created.Id()}"))["version"]!);
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

    // ---- list parameters ----

    [Fact]
    public async Task List_WithUnknownQueryParameter_Returns400()
    {
        await (await reader.GetAsync("/v1/articles?author=tim")).ValidationProblem("author");
    }

    [Fact]
    public async Task List_AndGet_WithUnknownInclude_Return400()
    {
        var created = await admin.CreatePublishedArticle();
        await (await reader.GetAsync("/v1/articles?include=comments")).ValidationProblem("include");
        await (await reader.GetAsync($"/v1/articles/{created.Id()}?include=quotes,quotes.article")).ValidationProblem("include");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task List_WithLimitOutOfRange_Returns400(string limit)
    {
        await (await reader.GetAsync($"/v1/articles?limit={limit}")).ValidationProblem("limit");
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
    public async Task List_WithTamperedCursor_Returns400()
    {
        var tag = TestData.Token("cur");
        await Create(TestData.Article(tags: [tag]));
        await Create(TestData.Article(tags: [tag]));
        var cursor = (string)(await admin.GetOk($"/v1/articles?tag={tag}&limit=1"))["nextCursor"]!;
        await (await admin.GetAsync($"/v1/articles?tag={tag}&limit=1&cursor={TestData.Q(TestData.Tamper(cursor))}")).ValidationProblem("cursor");
        await (await admin.GetAsync($"/v1/articles?tag={tag}&limit=1&cursor={TestData.Q(cursor + "x")}")).ValidationProblem("cursor");
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

    // ---- includes ----

    [Fact]
    public async Task Get_WithEveryInclude_EmbedsExactlyTheRelatedRowsInArticleOrder()
    {
        var sullivan = await admin.CreatePerson("Jake Sullivan");
        var harris = await admin.CreatePerson("Kamala Harris");
        var kim = await admin.CreatePerson("Kim Jong Un");
        var afp = await admin.CreateSource("AFP");
        var nyt = await admin.CreateSource("The New York Times", "newspaper");
        var q1 = await Quote(sullivan.Id(), afp.Id(), "Mereka akan menanggung konsekuensinya");
        var q2 = await Quote(harris.Id(), null, "Saya pikir itu akan menjadi kesalahan besar");
        await Quote(harris.Id(), afp.Id(), "Tidak dipakai");
        var created = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-10),
            quoteIds: [q2.Id(), q1.Id()],
            people: [new { personId = kim.Id(), role = "subject" }, new { personId = sullivan.Id(), role = "mentioned" }],
            sources: [new { sourceId = nyt.Id(), relation = "cited" }, new { sourceId = afp.Id(), relation = "reported-via" }]));

        foreach (var client in new[] { admin, reader })
        {
            var body = await client.GetOk($"/v1/articles/{created.Id()}?include=quotes,quotes.speaker,quotes.source,people,sources");

            Assert.Equal([q2.Id().ToString(), q1.Id().ToString()], body["quoteIds"]!.AsArray().Guids());
            var quotes = body["quotes"]!.AsArray();
            Assert.Equal([q2.Id(), q1.Id()], quotes.Ids());
            Assert.Equal(harris.Id().ToString(), (string?)quotes[0]!["speakerId"]);
            Assert.Equal(harris.Id(), quotes[0]!["speaker"]!.Id());
            Assert.Equal("Kamala Harris", (string?)quotes[0]!["speaker"]!["name"]);
            Assert.False(quotes[0]!.AsObject().ContainsKey("source"));
            Assert.Equal(sullivan.Id(), quotes[1]!["speaker"]!.Id());
            Assert.Equal(afp.Id().ToString(), (string?)quotes[1]!["sourceId"]);
            Assert.Equal(afp.Id(), quotes[1]!["source"]!.Id());
            Assert.Equal("AFP", (string?)quotes[1]!["source"]!["name"]);
            Assert.Equal("Mereka akan menanggung konsekuensinya", (string?)quotes[1]!["text"]);

            var people = body["people"]!.AsArray();
            Assert.Equal([kim.Id().ToString(), sullivan.Id().ToString()], people.Select(p => (string)p!["personId"]!));
            Assert.Equal([kim.Id(), sullivan.Id()], people.Select(p => p!["person"]!.Id()));
            Assert.Equal("Kim Jong Un", (string?)people[0]!["person"]!["name"]);
            Assert.Equal(["subject", "mentioned"], people.Select(p => (string)p!["role"]!));

            var sources = body["sources"]!.AsArray();
            Assert.Equal([nyt.Id().ToString(), afp.Id().ToString()], sources.Select(s => (string)s!["sourceId"]!));
            Assert.Equal([nyt.Id(), afp.Id()], sources.Select(s => s!["source"]!.Id()));
            Assert.Equal(["cited", "reported-via"], sources.Select(s => (string)s!["relation"]!));
        }
    }

    [Fact]
    public async Task Get_WithoutOrWithSomeIncludes_EmbedsOnlyWhatWasAsked()
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await Quote(person.Id(), source.Id());
        var created = await Create(TestData.Article(quoteIds: [quote.Id()],
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "cited" }]));

        var plain = await admin.GetOk($"/v1/articles/{created.Id()}");
        Assert.False(plain.ContainsKey("quotes"));
        Assert.False(plain["people"]![0]!.AsObject().ContainsKey("person"));
        Assert.False(plain["sources"]![0]!.AsObject().ContainsKey("source"));

        var quotesOnly = await admin.GetOk($"/v1/articles/{created.Id()}?include=quotes");
        var embedded = Assert.Single(quotesOnly["quotes"]!.AsArray())!.AsObject();
        Assert.False(embedded.ContainsKey("speaker"));
        Assert.False(embedded.ContainsKey("source"));
        Assert.False(quotesOnly["people"]![0]!.AsObject().ContainsKey("person"));
        Assert.False(quotesOnly["sources"]![0]!.AsObject().ContainsKey("source"));

        var speakers = await admin.GetOk($"/v1/articles/{created.Id()}?include=quotes.speaker");
        Assert.Equal(person.Id(), speakers["quotes"]![0]!["speaker"]!.Id());
        Assert.False(speakers["quotes"]![0]!.AsObject().ContainsKey("source"));
        Assert.False(speakers["people"]![0]!.AsObject().ContainsKey("person"));

        var peopleOnly = await admin.GetOk($"/v1/articles/{created.Id()}?include=people");
        Assert.False(peopleOnly.ContainsKey("quotes"));
        Assert.Equal(person.Id(), peopleOnly["people"]![0]!["person"]!.Id());
        Assert.False(peopleOnly["sources"]![0]!.AsObject().ContainsKey("source"));
    }

    [Fact]
    public async Task List_WithInclude_EmbedsPerArticle()
    {
        var tag = TestData.Token("inc");
        var p1 = await admin.CreatePerson("Satu");
        var p2 = await admin.CreatePerson("Dua");
        var q1 = await Quote(p1.Id());
        var q2 = await Quote(p2.Id());
        var a1 = await Create(TestData.Article(tags: [tag], quoteIds: [q1.Id()], people: [new { personId = p1.Id(), role = "subject" }]));
        var a2 = await Create(TestData.Article(tags: [tag], quoteIds: [q2.Id()], people: [new { personId = p2.Id(), role = "subject" }]));

        var items = (await admin.GetOk($"/v1/articles?tag={tag}&include=quotes.speaker,people"))["items"]!.AsArray().ToDictionary(i => i!.Id());

        Assert.Equal(new[] { a1.Id(), a2.Id() }.Order(), items.Keys.Order());
        Assert.Equal([q1.Id()], items[a1.Id()]!["quotes"]!.AsArray().Ids());
        Assert.Equal(p1.Id(), items[a1.Id()]!["quotes"]![0]!["speaker"]!.Id());
        Assert.Equal(p1.Id(), items[a1.Id()]!["people"]![0]!["person"]!.Id());
        Assert.Equal([q2.Id()], items[a2.Id()]!["quotes"]!.AsArray().Ids());
        Assert.Equal(p2.Id(), items[a2.Id()]!["people"]![0]!["person"]!.Id());
    }

    // ---- relations written with the article ----

    [Fact]
    public async Task Create_WithAQuoteBlockNotInQuoteIds_AddsTheQuoteToQuoteIds()
    {
        var speaker = await admin.CreatePerson();
        var listed = await Quote(speaker.Id(), text: "Disebut");
        var shown = await Quote(speaker.Id(), text: "Ditampilkan");

        var created = await Create(TestData.Article(quoteIds: [listed.Id()], body:
        [
            Paragraph("Pembuka."),
            new { type = "quote", quoteId = shown.Id() },
        ]));

        Assert.Equal([listed.Id().ToString(), shown.Id().ToString()], created["quoteIds"]!.AsArray().Guids());
        var quote = await admin.GetOk($"/v1/quotes/{shown.Id()}");
        Assert.Equal([created.Id().ToString()], quote["articleIds"]!.AsArray().Guids());
        Assert.Equal(2, (int)quote["version"]!);
        Assert.Equal([shown.Id(), listed.Id()], (await admin.GetOk($"/v1/quotes?articleId={created.Id()}"))["items"]!.AsArray().Ids());

        var replaced = await (await admin.Patch($"/v1/articles/{created.Id()}", new { quoteIds = Array.Empty<Guid>() }, "\"1\"")).Json();
        Assert.Equal([shown.Id().ToString()], replaced["quoteIds"]!.AsArray().Guids());
    }

    [Fact]
    public async Task Replace_ChangesLinks_AndFiltersFollow()
    {
        var before = await admin.CreatePerson();
        var after = await admin.CreatePerson();
        var oldSource = await admin.CreateSource();
        var newSource = await admin.CreateSource();
        var oldQuote = await Quote(before.Id());
        var newQuote = await Quote(after.Id());
        var created = await Create(TestData.Article(quoteIds: [oldQuote.Id()],
            people: [new { personId = before.Id(), role = "subject" }], sources: [new { sourceId = oldSource.Id(), relation = "cited" }]));

        var body = await (await admin.Put($"/v1/articles/{created.Id()}", TestData.Article((string)created["slug"]!, quoteIds: [newQuote.Id()],
            people: [new { personId = after.Id(), role = "subject" }], sources: [new { sourceId = newSource.Id(), relation = "cited" }]), "\"1\"")).Json();

        Assert.Equal([newQuote.Id().ToString()], body["quoteIds"]!.AsArray().Guids());
        Assert.Empty(await ListIds(admin, $"personId={before.Id()}"));
        Assert.Equal([created.Id()], await ListIds(admin, $"personId={after.Id()}"));
        Assert.Empty(await ListIds(admin, $"sourceId={oldSource.Id()}"));
        Assert.Equal([created.Id()], await ListIds(admin, $"sourceId={newSource.Id()}"));
        Assert.Empty((await admin.GetOk($"/v1/quotes/{oldQuote.Id()}"))["articleIds"]!.AsArray());
        Assert.Equal([created.Id().ToString()], (await admin.GetOk($"/v1/quotes/{newQuote.Id()}"))["articleIds"]!.AsArray().Guids());
        // The old source's link went with the replace: it is no longer in use.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/sources/{oldSource.Id()}", "\"1\"")).StatusCode);
    }

    // ---- pagination ----

    [Fact]
    public async Task List_WalksEveryPageWithoutGapsOrRepeats_WhileRowsAreAdded()
    {
        var tag = TestData.Token("page");
        var tie = WholeSeconds(DateTime.UtcNow.AddHours(-1));
        // Ties on publishedAt, distinct times and undated drafts: the keyset must get all three right.
        var requests = Enumerable.Range(0, 15).Select(_ => TestData.Article(status: "published", publishedAt: tie, tags: [tag]))
            .Concat(Enumerable.Range(0, 15).Select(i => TestData.Article(status: "published", publishedAt: tie.AddMinutes(-10 * (i + 1)), tags: [tag])))
            .Concat(Enumerable.Range(0, 15).Select(_ => TestData.Article(tags: [tag])));
        var created = await Task.WhenAll(requests.Select(Create));
        var existing = created.Select(a => a.Id()).ToList();
        var publishedAtStart = created.Where(a => (string?)a["status"] == "published").Select(a => a.Id()).ToList();

        foreach (var sort in new[] { "", "&sort=-publishedAt", "&sort=publishedAt", "&sort=-updatedAt" })
        {
            var added = new List<Guid>();
            var seen = await admin.ListAll($"/v1/articles?tag={tag}&limit=20{sort}", async _ =>
            {
                added.Add((await Create(TestData.Article(status: "published", publishedAt: tie, tags: [tag]))).Id());
                added.Add((await Create(TestData.Article(tags: [tag]))).Id());
            });

            var ids = seen.Ids();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            foreach (var id in existing)
                Assert.Single(ids, x => x == id);
            Assert.All(ids, id => Assert.True(existing.Contains(id) || added.Contains(id), $"{id} is not ours ({sort})"));

            var times = seen.Where(a => a["publishedAt"] is not null).Select(a => Time(a["publishedAt"])).ToList();
            if (sort is "" or "&sort=-publishedAt")
            {
                Assert.Equal(times.OrderDescending(), times);
                var firstDraft = seen.FindIndex(a => a["publishedAt"] is null);
                Assert.True(firstDraft >= 0);
                Assert.All(seen.Skip(firstDraft), a => Assert.Null(a["publishedAt"])); // undated drafts come last
            }
            else if (sort == "&sort=publishedAt")
                Assert.Equal(times.Order(), times);
            else
                Assert.Equal(seen.Select(a => Time(a["updatedAt"])).OrderDescending(), seen.Select(a => Time(a["updatedAt"])));
            existing.AddRange(added);
        }

        var visible = await reader.ListAll($"/v1/articles?tag={tag}&limit=20");
        Assert.All(visible, a => Assert.Equal("published", (string?)a["status"]));
        Assert.Equal(visible.Count, visible.Ids().Distinct().Count());
        foreach (var id in publishedAtStart)
            Assert.Single(visible, a => a.Id() == id);
    }

    // ---- filters ----

    [Fact]
    public async Task List_ByStatus_ReturnsOnlyThatStatus()
    {
        var tag = TestData.Token("st");
        var draft = await Create(TestData.Article(tags: [tag]));
        var published = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-1), tags: [tag]));
        var archived = await Create(TestData.Article(status: "archived", publishedAt: DateTime.UtcNow.AddDays(-30), tags: [tag]));

        Assert.Equal([draft.Id()], await ListIds(admin, $"tag={tag}&status=draft"));
        Assert.Equal([published.Id()], await ListIds(admin, $"tag={tag}&status=published"));
        Assert.Equal([archived.Id()], await ListIds(admin, $"tag={tag}&status=archived"));
        Assert.Empty(await ListIds(reader, $"tag={tag}&status=draft"));
        Assert.Empty(await ListIds(reader, $"tag={tag}&status=archived"));
        Assert.Equal([published.Id()], await ListIds(reader, $"tag={tag}&status=published"));
    }

    [Fact]
    public async Task List_ByLanguage_ReturnsOnlyThatLanguage()
    {
        var tag = TestData.Token("lang");
        var indonesian = await Create(TestData.Article(tags: [tag], language: "id"));
        var english = await Create(TestData.Article(tags: [tag], language: "en", title: "US warns North Korea"));

        Assert.Equal([english.Id()], await ListIds(admin, $"tag={tag}&language=en"));
        Assert.Equal([indonesian.Id()], await ListIds(admin, $"tag={tag}&language=id"));
        Assert.Empty(await ListIds(admin, $"tag={tag}&language=ko"));
    }

    [Fact]
    public async Task List_ByPersonAndSource_ReturnsOnlyLinkedArticles()
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var both = await Create(TestData.Article(people: [new { personId = person.Id(), role = "author" }],
            sources: [new { sourceId = source.Id(), relation = "cited" }]));
        var personOnly = await Create(TestData.Article(people: [new { personId = person.Id(), role = "mentioned" }]));
        await Create(TestData.Article());

        Assert.Equal(new[] { both.Id(), personOnly.Id() }.Order(), (await ListIds(admin, $"personId={person.Id()}")).Order());
        Assert.Equal([both.Id()], await ListIds(admin, $"sourceId={source.Id()}"));
        Assert.Equal([both.Id()], await ListIds(admin, $"personId={person.Id()}&sourceId={source.Id()}"));
        Assert.Empty(await ListIds(reader, $"personId={person.Id()}"));
    }

    [Fact]
    public async Task List_ByTag_MatchesWholeTagsOnly()
    {
        var tag = TestData.Token("tag");
        var tagged = await Create(TestData.Article(tags: ["lain", tag]));
        await Create(TestData.Article(tags: [tag + "x"]));
        Assert.Equal([tagged.Id()], await ListIds(admin, $"tag={tag}"));
    }

    [Fact]
    public async Task List_ByPublishedAfterAndBefore_FiltersByPublicationTime()
    {
        var tag = TestData.Token("pub");
        var t1 = await Create(TestData.Article(status: "published", publishedAt: new DateTime(2023, 9, 1, 10, 0, 0, DateTimeKind.Utc), tags: [tag]));
        var t2 = await Create(TestData.Article(status: "published", publishedAt: new DateTime(2023, 9, 6, 10, 0, 0, DateTimeKind.Utc), tags: [tag]));
        var t3 = await Create(TestData.Article(status: "published", publishedAt: new DateTime(2023, 9, 10, 10, 0, 0, DateTimeKind.Utc), tags: [tag]));
        await Create(TestData.Article(tags: [tag]));

        Assert.Equal([t3.Id(), t2.Id()], await ListIds(reader, $"tag={tag}&publishedAfter=2023-09-05T00:00:00Z"));
        Assert.Equal([t2.Id(), t1.Id()], await ListIds(reader, $"tag={tag}&publishedBefore=2023-09-07T00:00:00Z"));
        Assert.Equal([t2.Id()], await ListIds(reader, $"tag={tag}&publishedAfter=2023-09-02T00:00:00Z&publishedBefore=2023-09-09T00:00:00Z"));
        // Offsets count: 16:59+07:00 is 09:59Z, one minute before t2; 17:01+07:00 is one minute after.
        Assert.Equal([t3.Id(), t2.Id()], await ListIds(reader, $"tag={tag}&publishedAfter={TestData.Q("2023-09-06T16:59:00+07:00")}"));
        Assert.Equal([t3.Id()], await ListIds(reader, $"tag={tag}&publishedAfter={TestData.Q("2023-09-06T17:01:00+07:00")}"));
        await (await reader.GetAsync($"/v1/articles?tag={tag}&publishedAfter=2023-09-09T00:00:00Z&publishedBefore=2023-09-02T00:00:00Z"))
            .ValidationProblem("publishedBefore");
    }

    [Fact]
    public async Task List_ByUpdatedSince_ReturnsArticlesChangedFromThen()
    {
        var tag = TestData.Token("upd");
        var first = await Create(TestData.Article(tags: [tag]));
        await Task.Delay(20);
        var second = await Create(TestData.Article(tags: [tag]));
        var since = TestData.Q((string)second["updatedAt"]!);

        Assert.Equal([second.Id()], await ListIds(admin, $"tag={tag}&updatedSince={since}"));

        await Task.Delay(20);
        await (await admin.Patch($"/v1/articles/{first.Id()}", new { title = "Diperbarui" }, "\"1\"")).Json();
        Assert.Equal([first.Id(), second.Id()], await ListIds(admin, $"tag={tag}&updatedSince={since}&sort=-updatedAt"));
    }

    [Fact]
    public async Task List_Sorts_ByPublishedAtBothWaysAndByUpdatedAt()
    {
        var tag = TestData.Token("sort");
        var now = WholeSeconds(DateTime.UtcNow);
        var oldest = await Create(TestData.Article(status: "published", publishedAt: now.AddDays(-3), tags: [tag]));
        var newest = await Create(TestData.Article(status: "published", publishedAt: now.AddDays(-1), tags: [tag]));
        var middle = await Create(TestData.Article(status: "published", publishedAt: now.AddDays(-2), tags: [tag]));

        Assert.Equal([newest.Id(), middle.Id(), oldest.Id()], await ListIds(reader, $"tag={tag}"));
        Assert.Equal([newest.Id(), middle.Id(), oldest.Id()], await ListIds(reader, $"tag={tag}&sort=-publishedAt"));
        Assert.Equal([oldest.Id(), middle.Id(), newest.Id()], await ListIds(reader, $"tag={tag}&sort=publishedAt"));
        Assert.Equal([middle.Id(), newest.Id(), oldest.Id()], await ListIds(reader, $"tag={tag}&sort=-updatedAt"));

        await (await admin.Patch($"/v1/articles/{oldest.Id()}", new { summary = "Diperbarui" }, "\"1\"")).Json();
        Assert.Equal([oldest.Id(), middle.Id(), newest.Id()], await ListIds(reader, $"tag={tag}&sort=-updatedAt"));
        Assert.Equal([newest.Id(), middle.Id(), oldest.Id()], await ListIds(reader, $"tag={tag}"));
    }

    // ---- search ----

    [Fact]
    public async Task List_ByQ_FindsIndonesianWordsByTheirStem()
    {
        var tag = TestData.Token("q");
        var threat = await Create(TestData.Article(tags: [tag], title: "Korut dan Rusia", body: [Paragraph("Amerika Serikat mengancam Korea Utara dengan sanksi baru.")]));
        var root = await Create(TestData.Article(tags: [tag], title: "Sebuah ancam", body: [Paragraph("Kata dasar saja.")]));
        var unrelated = await Create(TestData.Article(tags: [tag], title: "Cuaca cerah", body: [Paragraph("Hari ini hujan tidak turun.")]));

        Assert.Equal(new[] { threat.Id(), root.Id() }.Order(), (await ListIds(admin, $"tag={tag}&q=ancam")).Order());
        Assert.Equal(new[] { threat.Id(), root.Id() }.Order(), (await ListIds(admin, $"tag={tag}&q=mengancam")).Order());
        Assert.Equal([unrelated.Id()], await ListIds(admin, $"tag={tag}&q=cuaca"));

    }

    [Fact]
    public async Task List_ByQ_UsesEnglishStemmingForEnglishArticles()
    {
        var tag = TestData.Token("q");
        var english = await Create(TestData.Article(tags: [tag], language: "en", title: "Washington warns Pyongyang",
            body: [Paragraph("The United States threatened North Korea with new sanctions.")]));
        Assert.Equal([english.Id()], await ListIds(admin, $"tag={tag}&q=threatening"));
        Assert.Equal([english.Id()], await ListIds(admin, $"tag={tag}&q=sanction"));
    }

    [Fact]
    public async Task List_ByQ_WalksRankedPagesWithoutRepeats()
    {
        var tag = TestData.Token("q");
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var title = i % 2 == 0 ? "Korut mengancam" : "Berita lain";
            ids.Add((await Create(TestData.Article(tags: [tag], title: title,
                body: [Paragraph(i % 3 == 0 ? "Mereka mengancam lagi dan lagi mengancam." : "Pemerintah AS mengancam.")]))).Id());
        }
        var seen = await admin.ListAll($"/v1/articles?tag={tag}&q=ancam&limit=3");
        Assert.Equal(ids.Order(), seen.Ids().Order());
    }

    [Fact]
    public async Task List_ByQ_ForReaders_NeverFindsDrafts()
    {
        var tag = TestData.Token("q");
        var draft = await Create(TestData.Article(tags: [tag]));
        var published = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-1), tags: [tag]));
        Assert.Equal([published.Id()], await ListIds(reader, $"tag={tag}&q=ancam"));
        Assert.Equal(new[] { draft.Id(), published.Id() }.Order(), (await ListIds(admin, $"tag={tag}&q=ancam")).Order());
    }

    // ---- fields ----

    [Fact]
    public async Task Fields_ReturnsOnlyTheNamedFieldsAndId_OnGetAndList()
    {
        var tag = TestData.Token("fld");
        var created = await Create(TestData.Article(tags: [tag]));

        var one = await admin.GetOk($"/v1/articles/{created.Id()}?fields=title,slug");
        Assert.Equal(["id", "slug", "title"], one.Select(p => p.Key).Order());
        Assert.Equal((string?)created["slug"], (string?)one["slug"]);
        Assert.Equal((string?)created["title"], (string?)one["title"]);

        var list = await admin.GetOk($"/v1/articles?tag={tag}&fields=title,slug");
        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "slug", "title"], item.Select(p => p.Key).Order());
        Assert.Equal(created.Id(), item.Id());

        var withInclude = await admin.GetOk($"/v1/articles/{created.Id()}?fields=title&include=quotes");
        Assert.Equal(["id", "title"], withInclude.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Fields_List_ReadsTheBodyAndLinksOnlyWhenNamed()
    {
        // Lists leave the body and the link lists unread when fields= omits them: naming one (also with spaces, and on
        // a ranked search page) must still give it whole, and embedded quotes still need the quote ids.
        var tag = TestData.Token("fld");
        var word = TestData.Token("kata");
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await Quote(person.Id(), source.Id());
        var created = await Create(TestData.Article(tags: [tag], status: "published", publishedAt: DateTime.UtcNow.AddHours(-1),
            body: [new { type = "paragraph", text = $"Laporan tentang {word}." }, new { type = "heading", text = "Sub", level = 2 }],
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "reported-via" }],
            quoteIds: [quote.Id()]));
        var full = Assert.Single((await admin.GetOk($"/v1/articles?tag={tag}&include=quotes"))["items"]!.AsArray())!.AsObject();
        Assert.Single(full["people"]!.AsArray());
        Assert.Single(full["sources"]!.AsArray());
        Assert.Single(full["quotes"]!.AsArray());

        foreach (var name in new[] { "body", "people", "sources", "quoteIds", "quotes" })
            foreach (var list in new[] { $"tag={tag}", $"tag={tag}&q={word}" })
            {
                var url = $"/v1/articles?{list}&include=quotes&fields=slug,%20{name}";
                var item = Assert.Single((await admin.GetOk(url))["items"]!.AsArray())!.AsObject();
                Assert.Equal(new[] { "id", name, "slug" }.Order(StringComparer.Ordinal), item.Select(p => p.Key).Order(StringComparer.Ordinal));
                Assert.True(JsonNode.DeepEquals(full[name], item[name]), url);
            }
        var lean = Assert.Single((await admin.GetOk($"/v1/articles?tag={tag}&fields=slug,title,summary,publishedAt"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "publishedAt", "slug", "summary", "title"], lean.Select(p => p.Key).Order());
        foreach (var (name, value) in lean)
            Assert.True(JsonNode.DeepEquals(full[name], value), name);
    }

    [Fact]
    public async Task Fields_Unknown_Returns400()
    {
        var created = await Create(TestData.Article());
        await (await admin.GetAsync($"/v1/articles/{created.Id()}?fields=title,wordCount")).ValidationProblem("fields");
        await (await admin.GetAsync("/v1/articles?fields=wordCount")).ValidationProblem("fields");
    }

    // ---- readers never see drafts ----

    [Fact]
    public async Task Get_Draft_IsNotFoundForReaders_AndFoundForAdmins()
    {
        var draft = await Create(TestData.Article());
        await (await reader.GetAsync($"/v1/articles/{draft.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{draft["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{draft.Id()}?include=quotes")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("draft", (string?)(await admin.GetOk($"/v1/articles/{draft.Id()}"))["status"]);
        Assert.Equal(draft.Id(), (await admin.GetOk($"/v1/articles/{draft["slug"]}")).Id());
    }

    [Fact]
    public async Task Get_ArchivedOrScheduled_IsNotFoundForReaders()
    {
        var archived = await Create(TestData.Article(status: "archived", publishedAt: DateTime.UtcNow.AddDays(-10)));
        var scheduled = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(10)));
        await (await reader.GetAsync($"/v1/articles/{archived.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{scheduled["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        await admin.GetOk($"/v1/articles/{archived.Id()}");
        await admin.GetOk($"/v1/articles/{scheduled.Id()}");
    }

    // ---- access ----

    [Fact]
    public async Task Writes_ByAnonymous_Return401()
    {
        var created = await Create(TestData.Article());
        var url = $"/v1/articles/{created.Id()}";
        await (await reader.PostAsJsonAsync("/v1/articles", TestData.Article())).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Put(url, TestData.Article((string)created["slug"]!), "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Patch(url, new { title = "X" }, "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Delete(url, "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(1, (int)(await admin.GetOk(url))["version"]!);
    }

    [Fact]
    public async Task Get_WithWrongKey_Returns401()
    {
        var created = await admin.CreatePublishedArticle();
        await reader.GetOk($"/v1/articles/{created.Id()}");
        await (await wrongKey.GetAsync($"/v1/articles/{created.Id()}")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await wrongKey.GetAsync("/v1/articles")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
