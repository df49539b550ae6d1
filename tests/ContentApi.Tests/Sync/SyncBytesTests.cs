using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Sync;
using Npgsql;

namespace ContentApi.Tests.Sync;

/// <summary>
/// The feed writes an article from its row, copying the stored body instead of parsing it into blocks and writing them
/// again (SyncArticle, BodyCopier): its pages must be byte for byte what writing <see cref="ArticleRow.ToResponse"/> gives.
/// </summary>
public sealed class SyncBytesTests : IAsyncLifetime
{
    private readonly ContentApiFactory factory = new();

    public Task InitializeAsync() => factory.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    // Every block type, texts that need escaping (quotes, backslash, control, non-ASCII), a null caption and title.
    private static object[] Body(Guid quoteId) =>
    [
        new { type = "paragraph", text = "Pemerintah AS mengancam: \"Korut akan menghadapi konsekuensi\" \\ tab\there, 북한, ملاحظة, 😀 <b>&amp;</b>" },
        new { type = "heading", text = "Latar belakang", level = 3 },
        new { type = "quote", quoteId },
        new { type = "image", url = "https://example.com/a.jpg", alt = "Kim dan Putin", caption = (string?)null },
        new { type = "image", url = "https://example.com/b.jpg", alt = "Pelabuhan", caption = "Foto: AFP" },
        new { type = "embed", url = "https://example.com/v", title = (string?)null, kind = "video" },
        new { type = "embed", url = "https://example.com/p", title = "Unggahan", kind = "social" },
    ];

    [Fact]
    public async Task Pages_MixingAllTypes_DeletesAndReleases_AreTheBytesToResponseWrites()
    {
        var editor = factory.Admin();
        var reader = factory.Anonymous();
        var speaker = (await editor.CreatePerson("Jake Sullivan", "Sullivan")).Id();
        var source = (await editor.CreateSource("AFP")).Id();
        var quote = (await editor.CreateQuote(speaker, source)).Id();
        await editor.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5), body: Body(quote), quoteIds: [quote],
            people: [new { personId = speaker, role = "subject" }], sources: [new { sourceId = source, relation = "reported-via" }]));
        var gone = await editor.CreatePublishedArticle(title: "Akan dihapus");
        var current = await editor.GetAsync($"/v1/articles/{gone.Id()}");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Delete($"/v1/articles/{gone.Id()}", current.ETag())).StatusCode);

        // Page one from the start: every type and a delete. The feed holds back changes while any transaction on the
        // server is still open (other tests run in parallel), so it is read again until they are all there.
        JsonDocument first;
        byte[] firstBytes;
        var attempts = 0;
        do
        {
            if (attempts++ > 0) await Task.Delay(200);
            (first, firstBytes) = await PageAsync(reader, "/v1/sync?limit=500");
        } while (attempts < 150 && !first.RootElement.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("op").GetString() == "delete"));
        Assert.Equal(new[] { "article", "person", "quote", "source" }, first.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("type").GetString()!).Distinct().Order().ToArray());
        Assert.Contains(first.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == gone.Id() && i.GetProperty("op").GetString() == "delete");
        await AssertSameBytesAsync(first, firstBytes, expectArticles: 1);

        // Page two after an article's release time: the released article with its quote first, then any later change.
        var releaseAt = DateTime.UtcNow.AddSeconds(2);
        var scheduledQuote = (await editor.CreateQuote(speaker, source, text: "Kutipan yang terjadwal.")).Id();
        var scheduled = await editor.CreateArticle(TestData.Article(status: "published", publishedAt: releaseAt, body: Body(scheduledQuote), quoteIds: [scheduledQuote]));
        // Task.Delay refuses a negative wait, which a slow setup on a loaded machine can leave.
        if (releaseAt - DateTime.UtcNow + TimeSpan.FromMilliseconds(300) is { Ticks: > 0 } wait) await Task.Delay(wait);
        await editor.CreatePerson("Kamala Harris");
        var token = first.RootElement.GetProperty("nextToken").GetString()!;
        var (second, secondBytes) = await PageAsync(reader, "/v1/sync?limit=500&since=" + Uri.EscapeDataString(token));
        var items = second.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(scheduled.Id(), items[0].GetProperty("id").GetGuid());
        Assert.Equal("upsert", items[0].GetProperty("op").GetString());
        Assert.Equal(scheduledQuote, items[1].GetProperty("id").GetGuid());
        await AssertSameBytesAsync(second, secondBytes, expectArticles: 1);
    }

    private static async Task<(JsonDocument Page, byte[] Bytes)> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (JsonDocument.Parse(bytes), bytes);
    }

    /// <summary>The page as it was written before: every article upsert's data from its row's ToResponse, the rest as received.</summary>
    private async Task AssertSameBytesAsync(JsonDocument page, byte[] actual, int expectArticles)
    {
        var rows = await ArticleRowsAsync(page.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetString() == "article" && i.GetProperty("op").GetString() == "upsert")
            .Select(i => i.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(expectArticles, rows.Count);
        foreach (var row in rows.Values)
            Assert.True(BodyCopier.For(ContentJson.Writing).TryCopy(row.Body, new ArrayBufferWriter<byte>()), "the copier refused a body the API wrote");
        var expected = new SyncPage
        {
            Items = page.RootElement.GetProperty("items").EnumerateArray().Select(i => new SyncItem
            {
                Type = i.GetProperty("type").GetString()!,
                Id = i.GetProperty("id").GetGuid(),
                Op = i.GetProperty("op").GetString() == "upsert" ? SyncOp.Upsert : SyncOp.Delete,
                Version = i.GetProperty("version").GetInt32(),
                Data = i.GetProperty("data").ValueKind == JsonValueKind.Null ? null
                    : rows.TryGetValue(i.GetProperty("id").GetGuid(), out var row) && i.GetProperty("type").GetString() == "article" ? row.ToResponse()
                    : i.GetProperty("data").Clone(),
            }).ToList(),
            NextToken = page.RootElement.GetProperty("nextToken").GetString()!,
            HasMore = page.RootElement.GetProperty("hasMore").GetBoolean(),
        };
        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(expected, ContentJson.Writing)), Encoding.UTF8.GetString(actual));
    }

    private async Task<Dictionary<Guid, ArticleRow>> ArticleRowsAsync(Guid[] ids)
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(ArticleRepository.EmbedSql(Audience.Reader, "select unnest(@Articles)"), conn);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("Articles", ids));
        await using var reader = await cmd.ExecuteReaderAsync();
        return (await Database.ReadSetAsync<ArticleRow>(reader, CancellationToken.None)).ToDictionary(r => r.Id);
    }

    [Theory]
    // A heading without its level and an image without its caption read as 2 and null; a key the blocks do not have
    // fails the read. The copier vouches for none of them, so the article is written the long way, or fails the same.
    [InlineData("""[{"text": "Judul", "type": "heading"}]""", true)]
    [InlineData("""[{"alt": "a", "url": "https://example.com/a.jpg", "type": "image"}]""", true)]
    [InlineData("""[{"text": "x", "type": "paragraph", "extra": 1}]""", false)]
    [InlineData("""[{"Text": "x", "type": "paragraph"}]""", true)]
    [InlineData("""[{"text": "x", "type": "poem"}]""", false)]
    [InlineData("""[{"text": 5, "type": "paragraph"}]""", false)]
    public void ABodyTheCopierCannotVouchFor_IsWrittenAsToResponseWritesIt(string body, bool readable)
    {
        var row = new ArticleRow
        {
            Id = Guid.CreateVersion7(), Slug = "a", Title = "T", Language = "id", Status = "published", PublishedAt = DateTime.UtcNow,
            Body = body, Version = 1, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        Assert.False(BodyCopier.For(ContentJson.Writing).TryCopy(body, new ArrayBufferWriter<byte>()));
        if (readable)
            Assert.Equal(JsonSerializer.Serialize<object>(row.ToResponse(), ContentJson.Writing), JsonSerializer.Serialize<object>(new SyncArticle(row), ContentJson.Writing));
        else
        {
            Assert.ThrowsAny<Exception>(() => row.ToResponse());
            Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize<object>(new SyncArticle(row), ContentJson.Writing));
        }
    }
}
