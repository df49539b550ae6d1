using System.Text;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;
using ContentApi.Sync;
using Npgsql;

namespace ContentApi.Tests.Sync;

/// <summary>
/// The feed reads its article and quote rows with typed getters (SyncRows), the body as bytes: every value must be the
/// one Dapper's mapping gives for the same statement, nulls and arrays included, and a result with other columns is
/// read through Dapper.
/// </summary>
public sealed class SyncRowsTests : IAsyncLifetime
{
    private readonly ContentApiFactory factory = new();

    public Task InitializeAsync() => factory.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    [Fact]
    public async Task ArticleAndQuoteRows_AreWhatDapperMaps()
    {
        var editor = factory.Admin();
        var speaker = (await editor.CreatePerson("Jake Sullivan", "Sullivan")).Id();
        var source = (await editor.CreateSource("AFP")).Id();
        var quote = (await editor.CreateQuote(speaker, source)).Id();
        var bare = (await editor.CreateQuote(speaker, text: "Kutipan tanpa sumber.")).Id();
        // A draft without a date, summary, section or byline; and a published one with everything, non-ASCII included.
        var draft = (await editor.CreateArticle(new
        {
            slug = TestData.Slug("draft"), title = "Draf", language = "id", status = "draft", tags = Array.Empty<string>(),
            body = new object[] { new { type = "paragraph", text = "Teks \"dikutip\" \\ 북한 😀" } },
            people = Array.Empty<object>(), sources = Array.Empty<object>(), quoteIds = Array.Empty<Guid>(),
        })).Id();
        var full = (await editor.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5), quoteIds: [quote, bare],
            tags: ["korea-utara", "rusia"], people: [new { personId = speaker, role = "subject" }], sources: [new { sourceId = source, relation = "reported-via" }],
            body: [new { type = "heading", text = "Latar", level = 3 }, new { type = "quote", quoteId = quote }]))).Id();
        await using (var conn = new NpgsqlConnection(factory.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                update articles set byline = 'Redaksi', hero_image = '{"url": "https://example.com/h.jpg", "alt": "Hero"}',
                  corrections = '[{"note": "Diperbaiki"}]' where id = @Full;
                update quotes set said_on = '2024-02-29', occasion = 'Konferensi pers', speaker_role = 'Penasihat', translation_of_id = @Quote where id = @Bare
                """, conn);
            cmd.Parameters.AddWithValue("Full", full);
            cmd.Parameters.AddWithValue("Quote", quote);
            cmd.Parameters.AddWithValue("Bare", bare);
            Assert.Equal(2, await cmd.ExecuteNonQueryAsync());
        }

        foreach (var audience in new[] { Audience.Editor, Audience.Reader })
        {
            var items = SyncRepository.Statements(audience).Items;
            var (typedArticles, typedQuotes) = await ReadAsync(items, [draft, full], [quote, bare], typed: true);
            var (dapperArticles, dapperQuotes) = await ReadAsync(items, [draft, full], [quote, bare], typed: false);
            Assert.Equal(audience == Audience.Editor ? 2 : 1, dapperArticles.Count);
            Assert.Equal(2, dapperQuotes.Count);
            Assert.All(typedArticles, a => Assert.NotNull(a.Utf8Body));
            Assert.Equal(Json(dapperArticles.Select(a => a.Row).OrderBy(r => r.Id)),
                Json(typedArticles.Select(a => a.Row with { Body = Encoding.UTF8.GetString(a.Utf8Body!) }).OrderBy(r => r.Id)));
            Assert.Equal(Json(dapperQuotes.OrderBy(q => q.Id)), Json(typedQuotes.OrderBy(q => q.Id)));
        }
    }

    [Fact]
    public async Task AResultWithOtherColumns_IsReadThroughDapper()
    {
        var editor = factory.Admin();
        var article = (await editor.CreateArticle(TestData.Article(title: "Hanya judul"))).Id();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select a.id, a.title, a.version from articles a where a.id = @Id", conn);
        cmd.Parameters.AddWithValue("Id", article);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = await SyncRows.ArticlesAsync(reader, CancellationToken.None);
        var row = Assert.Single(rows);
        Assert.Null(row.Utf8Body);
        Assert.Equal((article, "Hanya judul", 1, "[]"), (row.Row.Id, row.Row.Title, row.Row.Version, row.Row.Body));
    }

    private async Task<(List<SyncArticle> Articles, List<QuoteRow> Quotes)> ReadAsync(string sql, Guid[] articles, Guid[] quotes, bool typed)
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("Articles", articles));
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("Quotes", quotes));
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("People", []));
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("Sources", []));
        await using var reader = await cmd.ExecuteReaderAsync();
        if (typed)
            return (await SyncRows.ArticlesAsync(reader, CancellationToken.None), await SyncRows.QuotesAsync(reader, CancellationToken.None));
        var a = (await Database.ReadSetAsync<ArticleRow>(reader, CancellationToken.None)).Select(r => new SyncArticle(r)).ToList();
        var q = (await Database.ReadSetAsync<QuoteRow>(reader, CancellationToken.None)).ToList();
        return (a, q);
    }

    private static string Json<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows.ToList());
}
