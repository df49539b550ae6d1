using System.IO.Hashing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ContentApi.Tests.Delivery;

/// <summary>
/// List and sync pages are serialized into pooled blocks, hashed block by block for the ETag and written block by block
/// (Delivery/JsonBytesResult): the ETag must still be the hash of exactly the bytes sent, and the bytes whole, when a
/// page spans several blocks and characters of several bytes straddle their edges.
/// </summary>
public sealed class PooledBodyTests : IAsyncLifetime
{
    private readonly ContentApiFactory factory = new();

    public Task InitializeAsync() => factory.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    private static string HashTag(byte[] body)
    {
        var hash = XxHash128.Hash(body);
        return "\"p." + Convert.ToHexStringLower(hash.AsSpan(0, 12)) + "\"";
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(HttpClient client, string url, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ASyncPageOfSeveralBlocks_IsWhole_AndItsETagIsTheHashOfItsBytes()
    {
        var editor = factory.Admin();
        var reader = factory.Anonymous();
        // 24 articles of ~45 KB of body (2- and 3-byte characters in UTF-8): a page of about 1 MB, eight 128 KB blocks.
        var text = string.Concat(Enumerable.Repeat("Pemerintah é 북한 mengancam \"Korut\" akan menghadapi konsekuensi. ", 400))[..19_000];
        for (var i = 0; i < 24; i++)
            await editor.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5),
                body: [new { type = "paragraph", text }, new { type = "paragraph", text = text[i..] }]));

        // The feed holds back changes while any transaction on the server is open (other tests run in parallel): read
        // again until all 24 are there (a page of 22 is already past 900 KB).
        byte[] body;
        List<JsonElement> articles;
        var attempts = 0;
        do
        {
            if (attempts++ > 0) await Task.Delay(200);
            var (response, bytes) = await GetAsync(reader, "/v1/sync?limit=500");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.Equal(HashTag(bytes), response.Headers.ETag!.ToString());
            body = bytes;
            articles = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("type").GetString() == "article").ToList();
        } while (attempts < 150 && articles.Count < 24);

        Assert.True(body.Length > 900_000, $"the page is {body.Length} bytes");
        Assert.Equal(24, articles.Count);
        Assert.All(articles, a => Assert.Equal(text, a.GetProperty("data").GetProperty("body")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task AListPage_FromTheHandlerAndFromTheOutputCache_HasTheSameBytes_AndAnswers304ToItsETag()
    {
        var editor = factory.Admin();
        var reader = factory.Anonymous();
        for (var i = 0; i < 30; i++)
            await editor.CreatePublishedArticle(title: $"Korea Utara mendukung Rusia 북한 {i}");

        foreach (var url in new[] { "/v1/articles?limit=100", "/v1/articles?limit=100&fields=title,slug" })
        {
            // The second request is stored by the output cache (admission on the second), the third served from it.
            var answers = new List<byte[]>();
            for (var i = 0; i < 3; i++)
            {
                var (response, bytes) = await GetAsync(reader, url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
                Assert.Equal(HashTag(bytes), response.Headers.ETag!.ToString());
                // The output cache adds Age to what it serves.
                Assert.Equal(i == 2, response.Headers.Age is not null);
                answers.Add(bytes);
            }
            Assert.Equal(30, JsonDocument.Parse(answers[0]).RootElement.GetProperty("items").GetArrayLength());
            Assert.Equal(answers[0], answers[1]);
            Assert.Equal(answers[0], answers[2]);

            var (notModified, empty) = await GetAsync(reader, url, HashTag(answers[0]));
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(empty);
        }
    }
}
