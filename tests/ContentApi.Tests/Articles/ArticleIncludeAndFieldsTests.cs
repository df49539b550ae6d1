using System.Text.Json.Nodes;

namespace ContentApi.Tests.Articles;

/// <summary>include= and fields= on /v1/articles.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleIncludeAndFieldsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    private async Task<JsonObject> Quote(Guid speakerId, Guid? sourceId = null, string text = "Mereka akan menanggung konsekuensinya") =>
        await admin.CreateQuote(speakerId, sourceId, text);

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

    [Fact]
    public async Task Fields_WithInclude_ReturnsOnlyTheNamedFieldsAndId()
    {
        // fields= on a plain get and list is a convention over every resource (Conventions/FieldsTests).
        var created = await Create(TestData.Article());

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
}
