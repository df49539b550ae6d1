using System.Net;
using System.Text.Json.Nodes;
using static ContentApi.Tests.Quotes.QuoteTestData;

namespace ContentApi.Tests.Quotes;

/// <summary>Listing and reading /v1/quotes: includes, filters, search, pages, what readers see, fields=.</summary>
[Collection(ApiCollection.Name)]
public sealed class QuoteListTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object quote) => await admin.PostOk("/v1/quotes", quote);

    private async Task<Guid> Speaker() => (await admin.CreatePerson()).Id();

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

    [Fact]
    public async Task List_BySpeaker_WalksNewestFirst_WhileRowsAreAdded()
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

    [Fact]
    public async Task Fields_KeepTheTextVerbatim_OnGetAndList()
    {
        // Which keys fields= leaves, and unknown names, are conventions over every resource (Conventions/FieldsTests).
        var speaker = await Speaker();
        var quote = await Create(Quote(speaker, Verbatim));

        var one = await admin.GetOk($"/v1/quotes/{quote.Id()}?fields=text,speakerId");
        Assert.Equal(["id", "speakerId", "text"], one.Select(p => p.Key).Order());
        Assert.Equal(Verbatim, (string?)one["text"]);

        var item = Assert.Single((await admin.GetOk($"/v1/quotes?speakerId={speaker}&fields=text"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "text"], item.Select(p => p.Key).Order());
        Assert.Equal(Verbatim, (string?)item["text"]);
    }
}
