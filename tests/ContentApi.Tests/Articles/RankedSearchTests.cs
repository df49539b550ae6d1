using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Search;
using Dapper;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// Ranked search orders the newest <see cref="RankedWindow.Size"/> matches by relevance (bounded work at any
/// archive size); sort=-publishedAt still lists every match. Each test works inside its own tag.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Speed", "Slow")]
public class RankedSearchTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();
    private const int Window = RankedWindow.Size;

    /// <summary>
    /// Window + 10 published articles containing <paramref name="word"/>, one minute apart, oldest first. The 10 oldest
    /// and the 10 newest say it in their title as well (they rank highest); the rest only in the body.
    /// </summary>
    private async Task<List<Guid>> SeedAsync(string tag, string word)
    {
        var start = DateTime.UtcNow.AddDays(-1);
        var total = Window + 10;
        var ids = new Guid[total];
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var strong = i < 10 || i >= total - 10;
            var created = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: start.AddMinutes(i), tags: [tag],
                title: strong ? $"{word} {word} dan {word}" : "Berita hari ini",
                body: [new { type = "paragraph", text = $"Laporan tentang {word} dari Jakarta." }]));
            ids[i] = created.Id();
        });
        return [.. ids];
    }

    [Fact]
    public async Task RankedSearch_RanksTheNewestWindowOfMatches_AndDateOrderListsThemAll()
    {
        var tag = TestData.Token("rank");
        var word = TestData.Token("kata");
        var ids = await SeedAsync(tag, word);

        var ranked = (await reader.ListAll($"/v1/articles?tag={tag}&q={word}&limit=50")).Ids();
        Assert.Equal(Window, ranked.Count);
        Assert.Equal(Window, ranked.Distinct().Count());
        // Exactly the newest Window matches: the 10 oldest, though they rank high, are outside the window.
        Assert.Equal(ids.Skip(10).Order(), ranked.Order());
        // Relevance orders the window: the 10 newest (title matches) come first.
        Assert.Equal(ids.TakeLast(10).Order(), ranked.Take(10).Order());

        var byDate = (await reader.ListAll($"/v1/articles?tag={tag}&q={word}&sort=-publishedAt&limit=100")).Ids();
        Assert.Equal(Enumerable.Reverse(ids), byDate);
    }

    [Fact]
    public async Task RankedWalk_WhileAMatchIsPublished_NeitherSkipsNorRepeats()
    {
        var tag = TestData.Token("rank");
        var word = TestData.Token("kata");
        var ids = await SeedAsync(tag, word);
        Guid? added = null;

        var seen = (await reader.ListAll($"/v1/articles?tag={tag}&q={word}&limit=40", async page =>
        {
            if (page != 0) return;
            // Newest of all: without the window carried in the cursor, it would push the window's oldest member out.
            added = (await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddSeconds(-1), tags: [tag],
                title: "Berita terbaru", body: [new { type = "paragraph", text = $"Satu lagi tentang {word}." }]))).Id();
        })).Ids();

        Assert.NotNull(added);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(ids.Skip(10).Except(seen));
        Assert.Empty(seen.Except(ids.Skip(10)).Except([added!.Value]));
    }

    [Fact]
    public async Task RankedQuoteSearch_RanksTheNewestWindowOfMatches()
    {
        var speaker = (await admin.CreatePerson("Penutur Uji")).Id();
        var word = TestData.Token("kata");
        var total = Window + 10;
        var ids = new Guid[total];
        // One at a time: quote ids are UUID v7, so creation order is the quotes' newest-first order.
        for (var i = 0; i < total; i++)
            ids[i] = (await admin.CreateQuote(speaker, text: i < 10 ? $"{word} {word} {word}." : $"Kami membahas {word} hari ini bersama warga.")).Id();

        var ranked = (await admin.ListAll($"/v1/quotes?speakerId={speaker}&q={word}&limit=50")).Ids();
        Assert.Equal(Window, ranked.Count);
        // The 10 oldest say the word three times and would rank first, but they are outside the newest window.
        Assert.Equal(ids.Skip(10).Order(), ranked.Order());
    }

    [Fact]
    public async Task RankedWindow_HandsThePageItsBestRankedRows_TiesInUuidOrder()
    {
        // Ranks with many ties, some rows the page drops (null), and random ids: the rows Apply keeps must be the ones
        // PostgreSQL's "order by rank desc, id desc limit take" keeps.
        var random = new Random(7);
        var members = Enumerable.Range(0, RankedWindow.Size)
            .Select(i => (Row: $"(0,{i + 1})", Rank: i % 7 == 0 ? null : (float?)(random.Next(4) / 10f), Id: Guid.NewGuid())).ToArray();
        var edge = new RankedWindow.Edge(null, members[^1].Id, members.Select(m => m.Row).ToArray())
        {
            Ranks = members.Select(m => (m.Rank, m.Id)).ToArray(),
        };
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        foreach (var take in new[] { 1, 21, 51, RankedWindow.Size })
        {
            var (where, args) = (new List<string>(), new DynamicParameters());
            RankedWindow.Apply(ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600), edge, take, where, args);
            var expected = await conn.QueryAsync<string>("""
                select m.row from unnest(@Rows, @Ranks::real[], @Ids) m(row, rank, id) where m.rank is not null
                order by m.rank desc, m.id desc limit @Take
                """, new
            {
                Rows = members.Select(m => m.Row).ToArray(),
                Ranks = members.Select(m => m.Rank).ToArray(),
                Ids = members.Select(m => m.Id).ToArray(),
                Take = take
            });
            Assert.Equal(["a.ctid = any(@WindowRows::tid[])"], where);
            Assert.Equal(expected, args.Get<string[]>("WindowRows"));
        }
    }
}
