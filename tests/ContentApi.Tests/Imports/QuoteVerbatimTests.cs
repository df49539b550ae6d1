using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Imports;

/// <summary>
/// Imported quotes remember where they sit in the body; an edit of the body or of a quote that leaves a quote's text
/// no longer verbatim in its article is a warning editors see on the article (and in the write's answer), never readers.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class QuoteVerbatimTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient anonymous = factory.Anonymous();

    private static string SampleStory => File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "db", "samples", "story-id-korut-rusia.txt"));

    private async Task<(JsonNode Article, JsonNode Proposal)> Import(object request)
    {
        var response = await admin.PostAsJsonAsync("/v1/imports", request);
        var body = await response.Json(HttpStatusCode.Created);
        return (body["article"]!, body["proposal"]!);
    }

    private static JsonNode Quote(JsonNode proposal, string start) =>
        proposal["quotes"]!.AsArray().First(q => ((string)q!["text"]!).StartsWith(start, StringComparison.Ordinal) && q["quoteId"] is not null)!;

    /// <summary>The article's body with block <paramref name="index"/>'s text changed by <paramref name="edit"/>.</summary>
    private static JsonArray BodyWith(JsonNode article, int index, Func<string, string> edit)
    {
        var body = article["body"]!.DeepClone().AsArray();
        body[index]!["text"] = edit((string)body[index]!["text"]!);
        return body;
    }

    private async Task<(JsonObject Body, HttpResponseMessage Response)> EditorGet(string url)
    {
        var response = await admin.GetAsync(url);
        return (await response.Json(), response);
    }

    private static List<JsonNode> Warnings(JsonNode article) => article["warnings"]?.AsArray().Select(w => w!).ToList() ?? [];

    [Fact]
    public async Task ABodyEditThatBreaksAQuote_IsAWarningForEditors_NeverForReaders_AndFixingItClearsIt()
    {
        var (article, proposal) = await Import(new { text = SampleStory, title = "Verbatim " + Guid.NewGuid(), publishedAt = "2023-09-08T03:00:00Z" });
        var id = article.Id();
        var url = $"/v1/articles/{id}";
        Assert.Empty(Warnings(article));
        var sullivan = Quote(proposal, "Mereka akan menanggung");
        var quoteId = (string)sullivan["quoteId"]!;
        var block = (int)sullivan["paragraph"]!;
        var original = (string)article["body"]![block]!["text"]!;
        Assert.Contains("menanggung", original);

        // A word inside the quote changes: the PATCH's answer and the editor's GET both carry the warning.
        var (current, currentResponse) = await EditorGet(url);
        Assert.Empty(Warnings(current));
        var patched = await admin.Patch(url, new { body = BodyWith(current, block, t => t.Replace("menanggung", "memikul", StringComparison.Ordinal)) }, currentResponse.ETag());
        var answer = await patched.Json();
        var warning = Assert.Single(Warnings(answer));
        Assert.Equal("quote_not_verbatim", (string?)warning["code"]);
        Assert.Equal(quoteId, (string?)warning["quoteId"]);
        Assert.Equal(block, (int?)warning["paragraph"]);
        Assert.Contains("Mereka akan menanggung", (string?)warning["message"]);
        var (broken, brokenResponse) = await EditorGet(url);
        Assert.Equal(quoteId, (string?)Assert.Single(Warnings(broken))["quoteId"]);
        // The warning is not covered by the version: the GET's ETag is the bytes' hash, version first (If-Match takes it).
        Assert.StartsWith($"\"{(int)broken["version"]!}.", brokenResponse.ETag());

        // Readers: no warnings, and nothing of them in the output cache either.
        var publish = await admin.PostAsync($"{url}/publish", null);
        Assert.Equal(quoteId, (string?)Assert.Single(Warnings(await publish.Json()))["quoteId"]);
        foreach (var _ in new[] { 1, 2 })
        {
            var read = await anonymous.GetAsync(url);
            var readerView = await read.Json();
            Assert.False(readerView.ContainsKey("warnings"));
            Assert.Equal($"\"{(int)readerView["version"]!}\"", read.ETag());
        }

        // Back to a draft, so no other test's reader lists meet it; unpublishing answers with the warning too.
        var unpublish = await admin.PostAsync($"{url}/unpublish", null);
        Assert.Equal(quoteId, (string?)Assert.Single(Warnings(await unpublish.Json()))["quoteId"]);

        // Putting the word back clears it, with the hashed ETag of the broken state taken as If-Match.
        var (unpublished, unpublishedResponse) = await EditorGet(url);
        var fixedResponse = await admin.Patch(url, new { body = BodyWith(unpublished, block, _ => original) }, unpublishedResponse.ETag());
        Assert.Empty(Warnings(await fixedResponse.Json()));
        var (fixedView, fixedViewResponse) = await EditorGet(url);
        Assert.Empty(Warnings(fixedView));
        Assert.Equal($"\"{(int)fixedView["version"]!}\"", fixedViewResponse.ETag());
    }

    [Fact]
    public async Task AQuoteMovedByAnEdit_StaysAnchored_AndIsCheckedWhereItNowStands()
    {
        var tag = TestData.Token("Sindang");
        var (article, proposal) = await Import(new { text = Story(tag) });
        var url = $"/v1/articles/{article.Id()}";
        var quote = Quote(proposal, "Kami sudah menyiapkan dapur umum");
        var quoteId = (string)quote["quoteId"]!;
        var block = (int)quote["paragraph"]!;

        // A new paragraph before it: the quote is found one block further down, no warning, and its place follows.
        var (current, response) = await EditorGet(url);
        var body = current["body"]!.DeepClone().AsArray();
        body.Insert(0, new JsonObject { ["type"] = "paragraph", ["text"] = "Tambahan di awal." });
        var moved = await (await admin.Patch(url, new { body }, response.ETag())).Json();
        Assert.Empty(Warnings(moved));
        Assert.Equal(block + 1, await DeliveryTestKit.Scalar(factory.ConnectionString,
            "select body_block from article_quotes where article_id = @a and quote_id = @q", ("a", article.Id()), ("q", Guid.Parse(quoteId))));

        // Then a word of it changes: the warning names the block it now stood in.
        var (again, againResponse) = await EditorGet(url);
        var broken = await (await admin.Patch(url, new { body = BodyWith(again, block + 1, t => t.Replace("dapur umum", "dapur darurat", StringComparison.Ordinal)) }, againResponse.ETag())).Json();
        var warning = Assert.Single(Warnings(broken));
        Assert.Equal(quoteId, (string?)warning["quoteId"]);
        Assert.Equal(block + 1, (int?)warning["paragraph"]);
    }

    [Fact]
    public async Task AQuoteTextEditThatNoLongerOccurs_IsAWarningOnTheArticle_AndInTheQuotesAnswer()
    {
        var tag = TestData.Token("Cilebak");
        var (article, proposal) = await Import(new { text = Story(tag) });
        var url = $"/v1/articles/{article.Id()}";
        var quoteId = (string)Quote(proposal, "Kami sudah menyiapkan dapur umum")["quoteId"]!;
        var (before, beforeResponse) = await EditorGet(url);
        Assert.Empty(Warnings(before));
        var beforeETag = beforeResponse.ETag();

        // A correction the body does not hold: the quote's own answer names the article, and the article warns.
        var quoteResponse = await admin.GetAsync($"/v1/quotes/{quoteId}");
        Assert.Equal(HttpStatusCode.OK, quoteResponse.StatusCode);
        var edited = await (await admin.Patch($"/v1/quotes/{quoteId}", new { text = "Kami sudah menyiapkan tiga dapur umum" }, quoteResponse.ETag())).Json();
        var quoteWarning = Assert.Single(edited["warnings"]!.AsArray())!;
        Assert.Equal("quote_not_verbatim", (string?)quoteWarning["code"]);
        Assert.Equal(article.Id().ToString(), (string?)quoteWarning["articleId"]);

        // The article's version did not change, but its editors' answer did: the old ETag no longer matches.
        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", beforeETag);
        var revalidated = await admin.SendAsync(conditional);
        var after = await revalidated.Json();
        Assert.Equal((int)before["version"]!, (int)after["version"]!);
        var warning = Assert.Single(Warnings(after));
        Assert.Equal(quoteId, (string?)warning["quoteId"]);

        // A quote text that occurs elsewhere in the body counts as verbatim: no warning.
        var latest = await admin.GetAsync($"/v1/quotes/{quoteId}");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        var back = await (await admin.Patch($"/v1/quotes/{quoteId}", new { text = "Warga diminta tetap waspada" }, latest.ETag())).Json();
        Assert.False(back.ContainsKey("warnings"));
        Assert.Empty(Warnings((await EditorGet(url)).Body));
    }

    [Fact]
    public async Task QuotesLinkedByHand_AreNeverChecked()
    {
        var speaker = await admin.CreatePerson("Rahmat " + TestData.Token("Hand"));
        var quote = await admin.CreateQuote(speaker.Id(), text: "Kalimat yang tidak ada di badan berita.");
        var article = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));
        var (view, _) = await EditorGet($"/v1/articles/{article.Id()}");
        Assert.False(view.ContainsKey("warnings"));
    }

    private static string Story(string tag) => $"""
        Banjir Rendam {tag}
        Banjir merendam ratusan rumah di Desa {tag}, Kabupaten Lembah Hijau, Senin (6/5).
        Kepala Pelaksana BPBD Lembah Hijau, Wirawan {tag}putra, mengatakan air mulai surut sejak pagi. "Kami sudah menyiapkan dapur umum," kata Wirawan.
        "Warga diminta tetap waspada," ujarnya kepada Yonhap.
        """;
}
