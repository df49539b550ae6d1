using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Delivery;

/// <summary>ETags, Last-Modified, conditional GETs, Cache-Control and Vary, the reader output cache and compression.</summary>
[Collection(ApiCollection.Name)]
public sealed class CachingTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient anonymous = factory.Anonymous();

    private static async Task<HttpResponseMessage> Get(HttpClient client, string url, string? ifNoneMatch = null, DateTimeOffset? ifModifiedSince = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (ifModifiedSince is not null)
            request.Headers.IfModifiedSince = ifModifiedSince;
        return await client.SendAsync(request);
    }

    private static string StrongETag(HttpResponseMessage response)
    {
        var etag = response.Headers.ETag;
        Assert.True(etag is not null, $"no ETag on {response.RequestMessage!.RequestUri}");
        Assert.False(etag!.IsWeak, $"weak ETag {etag} on {response.RequestMessage!.RequestUri}");
        return etag.ToString();
    }

    private static async Task AssertNotModified(HttpResponseMessage response, string etag)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotModified,
            $"{response.RequestMessage!.RequestUri}: expected 304, got {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        Assert.Empty(body);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
    }

    private async Task<JsonObject> PatchTitle(Guid articleId, string title)
    {
        var current = await admin.GetAsync($"/v1/articles/{articleId}");
        var patched = await admin.Patch($"/v1/articles/{articleId}", new { title }, current.ETag());
        return await patched.Json();
    }

    private async Task<(JsonObject Article, JsonObject Quote, JsonObject Speaker)> PublishedStory(string tag)
    {
        var speaker = await admin.CreatePerson("Jake Sullivan");
        var quote = await admin.CreateQuote(speaker.Id());
        var article = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5),
            quoteIds: [quote.Id()], tags: [tag], title: "Berita " + DeliveryTestKit.Marker()));
        return (article, quote, speaker);
    }

    [Fact]
    public async Task ItemETag_IsTheVersion_304WhenUnchanged_200WhenChanged()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        var url = $"/v1/articles/{article.Id()}";

        var first = await Get(anonymous, url);
        var body = await first.Json();
        var etag = StrongETag(first);
        Assert.Equal($"\"{(int)body["version"]!}\"", etag);
        Assert.NotNull(first.Content.Headers.LastModified);

        await AssertNotModified(await Get(anonymous, url, etag), etag);
        await AssertNotModified(await Get(anonymous, url, $"\"999\", {etag}"), etag);
        // An editor (never served from the output cache) gets the same answer.
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        await AssertNotModified(await Get(editor, url, etag), etag);
        // By slug too.
        await AssertNotModified(await Get(anonymous, $"/v1/articles/{(string)article["slug"]!}", etag), etag);

        var title = "Judul baru " + DeliveryTestKit.Marker();
        await PatchTitle(article.Id(), title);
        var changed = await Get(anonymous, url, etag);
        var changedBody = await changed.Json();
        Assert.Equal(title, (string?)changedBody["title"]);
        Assert.NotEqual(etag, StrongETag(changed));
        Assert.Equal($"\"{(int)changedBody["version"]!}\"", StrongETag(changed));
    }

    [Fact]
    public async Task ListETag_304WhenUnchanged_ChangesWhenARowOnThePageChanges()
    {
        var tag = TestData.Token("tag");
        var (article, _, _) = await PublishedStory(tag);
        await PublishedStory(tag);
        var url = $"/v1/articles?tag={tag}";

        var first = await Get(anonymous, url);
        var page = await first.Json();
        Assert.Equal(2, page["items"]!.AsArray().Count);
        var etag = StrongETag(first);
        Assert.NotNull(first.Content.Headers.LastModified);
        await AssertNotModified(await Get(anonymous, url, etag), etag);
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        var editorFirst = await Get(editor, url);
        var editorETag = StrongETag(editorFirst);
        await AssertNotModified(await Get(editor, url, editorETag), editorETag);

        var title = "Judul baru " + DeliveryTestKit.Marker();
        await PatchTitle(article.Id(), title);
        var changed = await Get(anonymous, url, etag);
        var changedPage = await changed.Json();
        Assert.Contains(changedPage["items"]!.AsArray(), i => (string?)i!["title"] == title);
        var newETag = StrongETag(changed);
        Assert.NotEqual(etag, newETag);
        await AssertNotModified(await Get(anonymous, url, newETag), newETag);
        Assert.NotEqual(editorETag, StrongETag(await Get(editor, url, editorETag)));
    }

    [Fact]
    public async Task HashedVariant_IsTheWholeJsonDocument_EvenForARangeRequest()
    {
        // Lists and include variants are written from their serialized bytes: a JSON answer, not a file, so a Range
        // request gets the whole document and nothing announces byte ranges.
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/articles/{article.Id()}?include=quotes.speaker");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        var response = await anonymous.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Accept-Ranges"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(article.Id(), json.Id());
        Assert.Equal("Jake Sullivan", (string?)json["quotes"]![0]!["speaker"]!["name"]);
    }

    [Fact]
    public async Task IncludeVariantETag_ChangesWhenAnIncludedQuotesSpeakerChanges()
    {
        var tag = TestData.Token("tag");
        var (article, quote, speaker) = await PublishedStory(tag);
        var itemUrl = $"/v1/articles/{article.Id()}?include=quotes.speaker";
        var listUrl = $"/v1/articles?tag={tag}&include=quotes.speaker";
        var quoteUrl = $"/v1/quotes/{quote.Id()}?include=speaker";

        var etags = new Dictionary<string, string>();
        foreach (var url in new[] { itemUrl, listUrl, quoteUrl })
        {
            var response = await Get(anonymous, url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {text}");
            Assert.Contains("Jake Sullivan", text);
            etags[url] = StrongETag(response);
            Assert.NotNull(response.Content.Headers.LastModified);
            await AssertNotModified(await Get(anonymous, url, etags[url]), etags[url]);
        }
        // The article itself did not change, yet its include variant is a different representation from the plain one.
        var plain = StrongETag(await Get(anonymous, $"/v1/articles/{article.Id()}"));
        Assert.NotEqual(plain, etags[itemUrl]);

        var rename = await admin.Patch($"/v1/people/{speaker.Id()}", new { name = "Jacob Sullivan" }, TestData.Etag((int)speaker["version"]!));
        await rename.Json();

        foreach (var url in new[] { itemUrl, listUrl, quoteUrl })
        {
            var response = await Get(anonymous, url, etags[url]);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} after the speaker changed: expected 200, got {(int)response.StatusCode} {text}");
            Assert.Contains("Jacob Sullivan", text);
            Assert.NotEqual(etags[url], StrongETag(response));
        }
        // The article's own version did not move: its plain ETag stays.
        await AssertNotModified(await Get(anonymous, $"/v1/articles/{article.Id()}", plain), plain);
    }

    /// <summary>GET with If-Modified-Since: 304 and no body when Last-Modified is not later; 200 with the body when it is.</summary>
    private async Task AssertIfModifiedSince(string who, HttpClient client, string url, JsonObject article)
    {
        var first = await Get(client, url);
        await first.Json();
        var lastModified = first.Content.Headers.LastModified;
        Assert.True(lastModified is not null, $"{who}: no Last-Modified");
        var updatedAt = DateTime.Parse((string)article["updatedAt"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(new DateTimeOffset(updatedAt.AddTicks(-(updatedAt.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.Zero), lastModified);

        var notModified = await Get(client, url, ifModifiedSince: lastModified);
        var body = await notModified.Content.ReadAsStringAsync();
        Assert.True(notModified.StatusCode == HttpStatusCode.NotModified,
            $"{who} {url}: If-Modified-Since equal to Last-Modified: expected 304, got {(int)notModified.StatusCode}");
        Assert.Empty(body);

        var older = await Get(client, url, ifModifiedSince: lastModified!.Value.AddHours(-1));
        var olderBody = await older.Json();
        Assert.Contains(article.Id().ToString(), olderBody.ToJsonString());
    }

    [Fact]
    public async Task IfModifiedSince_Reader_304WhenNotModifiedSince_200WhenOlder()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        await AssertIfModifiedSince("anonymous", anonymous, $"/v1/articles/{article.Id()}", article);
        await AssertIfModifiedSince("anonymous", anonymous, $"/v1/articles?tag={((JsonArray)article["tags"]!)[0]}", article);
    }

    [Fact]
    public async Task IfModifiedSince_Editor_304WhenNotModifiedSince_200WhenOlder()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        await AssertIfModifiedSince("editor", editor, $"/v1/articles/{article.Id()}", article);
    }

    [Fact]
    public async Task IfModifiedSince_ReaderCacheMiss_Returns304()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        var lastModified = (await admin.GetAsync($"/v1/articles/{article.Id()}")).Content.Headers.LastModified;
        Assert.NotNull(lastModified);
        // The reader's first request for this representation: nothing in the output cache to answer from.
        var miss = await Get(anonymous, $"/v1/articles/{(string)article["slug"]!}", ifModifiedSince: lastModified);
        Assert.True(miss.StatusCode == HttpStatusCode.NotModified, $"anonymous, not yet cached: expected 304, got {(int)miss.StatusCode}");
        Assert.Empty(await miss.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CacheControlAndVary_PublicForReaders_PrivateForEditorsAndAdmins()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        var reader = factory.WithKey((await admin.CreateKey("reader")).Key);
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        var urls = new[] { $"/v1/articles/{article.Id()}", "/v1/articles", $"/v1/articles/{article.Id()}?include=quotes", "/v1/people?limit=1" };

        foreach (var url in urls)
        {
            foreach (var (who, client) in new[] { ("anonymous", anonymous), ("reader", reader) })
            {
                var response = await Get(client, url);
                await response.Json();
                var cc = response.Headers.CacheControl;
                Assert.True(cc is { Public: true, Private: false, NoStore: false } && cc.MaxAge == TimeSpan.FromSeconds(60)
                    && cc.Extensions.Any(e => e.Name == "stale-while-revalidate" && e.Value == "600"),
                    $"{who} {url}: Cache-Control {cc}");
                AssertVary(response, $"{who} {url}");
            }
            foreach (var (who, client) in new[] { ("editor", editor), ("admin", admin) })
            {
                var response = await Get(client, url);
                await response.Json();
                var cc = response.Headers.CacheControl;
                Assert.True(cc is { Private: true, NoStore: true, Public: false } && cc.MaxAge is null, $"{who} {url}: Cache-Control {cc}");
                AssertVary(response, $"{who} {url}");
            }
        }

        // A 304 repeats the caching headers.
        var etag = StrongETag(await Get(anonymous, urls[0]));
        var notModified = await Get(anonymous, urls[0], etag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.True(notModified.Headers.CacheControl is { Public: true }, $"304 Cache-Control {notModified.Headers.CacheControl}");
    }

    private static void AssertVary(HttpResponseMessage response, string what)
    {
        var vary = response.Headers.Vary.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        Assert.True(vary.Contains("Authorization", StringComparer.OrdinalIgnoreCase) && vary.Contains("Accept-Encoding", StringComparer.OrdinalIgnoreCase),
            $"{what}: Vary {string.Join(", ", vary)}");
    }

    [Fact]
    public async Task OutputCache_StoresAUrlOnItsSecondRequest_NotOnItsFirst()
    {
        var person = await admin.CreatePerson("Sekali Tanya " + DeliveryTestKit.Marker());
        var url = $"/v1/people/{person.Id()}";
        async Task Rename(string name) =>
            await DeliveryTestKit.Execute(factory.ConnectionString, "update people set name = @n where id = @id", ("n", name), ("id", person.Id()));

        Assert.Equal((string)person["name"]!, (string?)(await anonymous.GetOk(url))["name"]);
        // Behind the API's back: the first answer was not stored, so the second request reads the row (and is stored).
        var second = "Dua Kali " + DeliveryTestKit.Marker();
        await Rename(second);
        Assert.Equal(second, (string?)(await anonymous.GetOk(url))["name"]);
        await Rename("Tiga Kali " + DeliveryTestKit.Marker());
        Assert.Equal(second, (string?)(await anonymous.GetOk(url))["name"]);
    }

    [Fact]
    public async Task OutputCache_WithAfterRequestsOne_StoresTheFirstAnswer()
    {
        await using var storeAll = new ContentApiFactory(new Dictionary<string, string> { ["Delivery:OutputCacheAfterRequests"] = "1" });
        await storeAll.InitializeAsync();
        var person = await storeAll.Admin().CreatePerson("Langsung Simpan " + DeliveryTestKit.Marker());
        var url = $"/v1/people/{person.Id()}";
        var reader = storeAll.Anonymous();
        Assert.Equal((string)person["name"]!, (string?)(await reader.GetOk(url))["name"]);
        await DeliveryTestKit.Execute(storeAll.ConnectionString, "update people set name = 'Diam-diam' where id = @id", ("id", person.Id()));
        Assert.Equal((string)person["name"]!, (string?)(await reader.GetOk(url))["name"]);
    }

    [Fact]
    public async Task OutputCache_ServesReadersFromCache_AndAWriteEvictsAtOnce()
    {
        var tag = TestData.Token("tag");
        var (article, _, _) = await PublishedStory(tag);
        var itemUrl = $"/v1/articles/{article.Id()}";
        var listUrl = $"/v1/articles?tag={tag}";
        var original = (string)article["title"]!;
        // Asked twice: the second answer is stored (a URL asked once is not, CacheAdmission).
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(original, (string?)(await anonymous.GetOk(itemUrl))["title"]);
            Assert.Equal(original, (string?)(await anonymous.GetOk(listUrl))["items"]![0]!["title"]);
        }

        // Behind the API's back (no eviction): readers keep getting the cached answer, editors see the row.
        var sqlTitle = "Diam-diam " + DeliveryTestKit.Marker();
        await DeliveryTestKit.Execute(factory.ConnectionString, "update articles set title = @t where id = @id", ("t", sqlTitle), ("id", article.Id()));
        Assert.Equal(original, (string?)(await anonymous.GetOk(itemUrl))["title"]);
        Assert.Equal(original, (string?)(await anonymous.GetOk(listUrl))["items"]![0]!["title"]);
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        Assert.Equal(sqlTitle, (string?)(await editor.GetOk(itemUrl))["title"]);

        // A write through the API evicts: the very next anonymous read shows it.
        var title = "Judul baru " + DeliveryTestKit.Marker();
        await PatchTitle(article.Id(), title);
        Assert.Equal(title, (string?)(await anonymous.GetOk(itemUrl))["title"]);
        Assert.Equal(title, (string?)(await anonymous.GetOk(listUrl))["items"]![0]!["title"]);

        // Unpublishing is a write too: gone for readers at once.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/articles/{article.Id()}/unpublish", null)).StatusCode);
        await (await anonymous.GetAsync(itemUrl)).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await anonymous.GetOk(listUrl))["items"]!.AsArray());
    }

    [Fact]
    public async Task OutputCache_DoesNotShareAnEditorsViewWithReaders()
    {
        var draft = await admin.CreateArticle(TestData.Article(status: "draft"));
        var url = $"/v1/articles/{draft.Id()}";
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync(url)).StatusCode);
        await (await anonymous.GetAsync(url)).Problem(HttpStatusCode.NotFound, "not_found");
        // And the other way round: a reader's cached 404 (or list) never hides the draft from editors.
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Compression_IsNegotiated(string encoding)
    {
        var tag = TestData.Token("tag");
        var (article, _, _) = await PublishedStory(tag);
        foreach (var client in new[] { anonymous, admin })
        {
            var url = $"/v1/articles?tag={tag}&include=quotes,people";
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            AssertVary(response, url);
            var compressed = await response.Content.ReadAsByteArrayAsync();
            await using Stream decoder = encoding == "br"
                ? new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress)
                : new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var reader = new StreamReader(decoder, Encoding.UTF8);
            var json = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.Equal(article.Id(), json["items"]!.AsArray().Single()!.Id());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Compression_NotAppliedWhenNotAsked()
    {
        var (article, _, _) = await PublishedStory(TestData.Token("tag"));
        foreach (var accept in new[] { null, "identity" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/articles/{article.Id()}");
            if (accept is not null)
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(accept));
            var response = await anonymous.SendAsync(request);
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(article.Id(), (await response.Json()).Id());
        }
    }
}
