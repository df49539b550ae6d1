using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Webhooks;

/// <summary>
/// The data of a delivered event is the resource as an anonymous reader's GET returns it (without includes); events
/// about what readers cannot see (drafts, scheduled articles, quotes only drafts use, deletes) carry the id and null.
/// </summary>
public sealed class WebhookDataTests() : WebhookHost
{
    private const string Embargoed = "EMBARGO-Rahasia-Redaksi";

    private HttpClient reader = null!;
    private string secret = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        reader = factory.Anonymous();
        (_, secret) = await Subscribe(["*"]);
    }

    private static string Plural(string entity) => entity switch
    {
        "article" => "articles",
        "quote" => "quotes",
        "person" => "people",
        "source" => "sources",
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
    };

    /// <summary>The anonymous reader's GET of the resource, or null when the reader gets 404.</summary>
    private async Task<JsonNode?> ReaderGet(string entity, Guid id)
    {
        var response = await reader.GetAsync($"/v1/{Plural(entity)}/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await response.Problem(HttpStatusCode.NotFound, "not_found");
            return null;
        }
        return await response.Json();
    }

    private static void AssertSame(JsonNode? expected, JsonNode? data, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, data),
            $"{what}: data differs from the reader's GET\n  GET:  {expected?.ToJsonString() ?? "404"}\n  data: {data?.ToJsonString() ?? "null"}");

    [Fact]
    public async Task Data_IsTheAnonymousReadersGetBody_ForEveryUpsert()
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var draft = await admin.CreateArticle(TestData.Article(title: Embargoed));
        var published = await admin.CreatePublishedArticle();
        // Used by a published and a draft article: readers see the quote, with only the published article's id.
        var quote = await admin.CreateQuote(person.Id(), source.Id(), articleIds: [published.Id(), draft.Id()]);
        await (await admin.Patch($"/v1/people/{person.Id()}", new { name = "Nama Baru" }, TestData.Etag(1))).Json();

        // person, source, 2 articles, quote created; both articles touched by the quote; person updated.
        await receiver.WaitForAsync(r => r.Count >= 8, TimeSpan.FromSeconds(20), "8 events");
        await Task.Delay(300);
        var got = receiver.Requests.ToList();
        Assert.Equal(8, got.Count);
        Assert.All(got, r => Assert.True(r.Verified));
        Assert.All(got, r => Assert.DoesNotContain(secret, r.Body, StringComparison.Ordinal));

        // The latest event of each resource against what a reader gets now.
        foreach (var latest in got.GroupBy(r => r.Json.Id()).Select(g => g.MaxBy(r => (int)r.Json["version"]!)!))
        {
            var entity = latest.Type.Split('.')[0];
            var expected = await ReaderGet(entity, latest.Json.Id());
            AssertSame(expected, latest.Json["data"], $"{latest.Type} {latest.Json.Id()}");
        }
        var quoteData = got.Single(r => r.Type == "quote.created").Json["data"]!;
        Assert.Equal([published.Id().ToString()], quoteData["articleIds"]!.Guids());
        Assert.Equal("Jake Sullivan", (string?)got.Single(r => r.Type == "person.created").Json["data"]!["name"]);
        Assert.Equal("Nama Baru", (string?)got.Single(r => r.Type == "person.updated").Json["data"]!["name"]);
        Assert.All(got.Where(r => r.Json.Id() == draft.Id()), r => Assert.Null(r.Json["data"]));
        Assert.All(got.Where(r => r.Json.Id() == published.Id()), r => Assert.NotNull(r.Json["data"]));
        Assert.All(got, r => Assert.DoesNotContain(Embargoed, r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DraftScheduledAndUnpublishedArticles_SendTheIdOnly_PublishSendsTheReaderView_DeletesNull()
    {
        var article = await admin.CreateArticle(TestData.Article(title: Embargoed, body: [new { type = "paragraph", text = Embargoed + " isi" }]));
        var id = article.Id();
        await (await admin.Patch($"/v1/articles/{id}", new { summary = Embargoed + " ringkasan" }, TestData.Etag(1))).Json();
        var person = await admin.CreatePerson();
        var quote = await admin.CreateQuote(person.Id(), text: Embargoed + " kutipan", articleIds: [id]);
        var at = DateTime.UtcNow.AddSeconds(2);
        await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/publish", new { publishedAt = at })).Json();

        // Before its time: article.created, article.updated (patch), article.updated (quote link), quote.created,
        // quote.updated (the schedule touched it), person.created; all of the article and quote with data null.
        await receiver.WaitForAsync(r => r.Any(x => x.Type == "article.published"), TimeSpan.FromSeconds(20), "article.published");
        var published = receiver.Requests.Single(r => r.Type == "article.published");
        var expected = await ReaderGet("article", id);
        Assert.NotNull(expected);
        AssertSame(expected, published.Json["data"], "article.published");
        Assert.True(DateTime.UtcNow >= at);

        var unpublished = await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/unpublish")).Json();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/articles/{id}", TestData.Etag((int)unpublished["version"]!))).StatusCode);
        // unpublish: article.unpublished and quote.updated; delete: article.deleted and quote.updated.
        await receiver.WaitForAsync(r => r.Count(x => x.Json.Id() != person.Id()) >= 10, TimeSpan.FromSeconds(20), "10 events of the article and quote");
        await Task.Delay(300);
        var got = receiver.Requests.Where(r => r.Json.Id() != person.Id()).ToList();
        Assert.Equal(
            ["article.created", "article.updated", "article.updated", "article.published", "article.unpublished", "article.deleted"],
            got.Where(r => r.Json.Id() == id).Select(r => r.Type));
        Assert.Equal(["quote.created", "quote.updated", "quote.updated", "quote.updated"], got.Where(r => r.Json.Id() == quote.Id()).Select(r => r.Type));
        foreach (var r in got.Where(r => r.Type != "article.published"))
        {
            Assert.True(r.Json.ContainsKey("data"), r.Body);
            Assert.Null(r.Json["data"]);
            Assert.Equal(r.Type.StartsWith("article", StringComparison.Ordinal) ? id : quote.Id(), r.Json.Id());
            Assert.DoesNotContain(Embargoed, r.Body, StringComparison.Ordinal);
        }
    }
}
