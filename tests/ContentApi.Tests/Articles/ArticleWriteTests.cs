using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Articles.ArticleTestData;

namespace ContentApi.Tests.Articles;

/// <summary>Creating, reading, replacing, patching and deleting /v1/articles, and the relations written with an article.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleWriteTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    private async Task<List<Guid>> ListIds(HttpClient client, string query) =>
        (await client.GetOk($"/v1/articles?{query}"))["items"]!.AsArray().Ids();

    private async Task<JsonObject> Quote(Guid speakerId, Guid? sourceId = null, string text = "Mereka akan menanggung konsekuensinya") =>
        await admin.CreateQuote(speakerId, sourceId, text);

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
}
