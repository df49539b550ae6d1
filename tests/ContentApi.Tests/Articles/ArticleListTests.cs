using System.Text.Json.Nodes;
using static ContentApi.Tests.Articles.ArticleTestData;

namespace ContentApi.Tests.Articles;

/// <summary>Listing /v1/articles: keyset pages in every sort, filters and full-text search.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleListTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    private async Task<List<Guid>> ListIds(HttpClient client, string query) =>
        (await client.GetOk($"/v1/articles?{query}"))["items"]!.AsArray().Ids();

    [Fact]
    public async Task List_WalksEverySortWithoutGapsOrRepeats_TiesRightAndUndatedDraftsLast()
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
}
