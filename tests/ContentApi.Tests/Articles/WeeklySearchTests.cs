using ContentApi.Search;
using ContentApi.Tests.Delivery;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>A host with its own database, so that the weekly index's scan count there is this class's alone.</summary>
public sealed class WeeklySearchHost : IAsyncLifetime
{
    // The window (300) is looked for among the newest 300 articles first: the weeks of those are then searched.
    public ContentApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync() => Factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
    {
        ["Search:WindowFirstSpan"] = RankedWindow.Size.ToString(),
    });

    public Task DisposeAsync() => Factory.StopAsync();
}

/// <summary>
/// Ranked search finds its window through the weekly index (migration 0003) when the newest rows' weeks hold enough
/// matches: the rewritten query must find exactly what the full text condition finds.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class WeeklySearchTests(WeeklySearchHost host) : IClassFixture<WeeklySearchHost>
{
    private readonly HttpClient admin = host.Factory.Admin();
    private readonly HttpClient reader = host.Factory.Anonymous();
    private const int Window = RankedWindow.Size;

    /// <summary>Published articles, one per <paramref name="texts"/> entry, <paramref name="apart"/> apart up to an hour ago, oldest first.</summary>
    private async Task<Guid[]> PublishAsync(string tag, IReadOnlyList<(string Title, string Text)> texts, TimeSpan apart, TimeSpan? ago = null,
        Func<int, string>? language = null)
    {
        var end = DateTime.UtcNow - (ago ?? TimeSpan.FromHours(1));
        var ids = new Guid[texts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, texts.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var created = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: end - apart * (texts.Count - i), tags: [tag],
                title: texts[i].Title, body: [new { type = "paragraph", text = texts[i].Text }], language: language?.Invoke(i) ?? "id"));
            ids[i] = created.Id();
        });
        return ids;
    }

    /// <summary>Rows the weekly index has handed out so far (in this host's own database).</summary>
    private Task<long> WeeklyRowsRead() => DeliveryTestKit.Scalar(host.Factory.ConnectionString,
        "select coalesce(sum(idx_tup_read), 0) from pg_stat_user_indexes where indexrelname = 'articles_search_weekly'");

    [Fact]
    public async Task RankedSearch_FindsTheNewestMatchesThroughTheWeeklyIndex()
    {
        var tag = TestData.Token("week");
        var word = TestData.Token("kata");
        // Older articles without the word, then Window + 10 with it, 3 hours apart (about 6 weeks: the weekly index is
        // used when the newest rows span at most 64); the 10 oldest matches rank highest (title).
        var texts = Enumerable.Range(0, 40).Select(_ => ("Berita lama", "Laporan tanpa kata itu."))
            .Concat(Enumerable.Range(0, Window + 10).Select(i => (i < 10 ? $"{word} {word} dan {word}" : "Berita hari ini", $"Laporan tentang {word}.")))
            .ToList();
        var ids = await PublishAsync(tag, texts, TimeSpan.FromHours(3));
        var matches = ids.Skip(40).ToArray();
        var before = await WeeklyRowsRead();

        var ranked = (await reader.ListAll($"/v1/articles?tag={tag}&q={word}&limit=50")).Ids();

        Assert.Equal(matches.Skip(10).Order(), ranked.Order());
        await AssertWeeklyIndexHandedOut(before, Window);
    }

    /// <summary>The weekly index handed out at least <paramref name="rows"/> rows since <paramref name="before"/>.</summary>
    private async Task AssertWeeklyIndexHandedOut(long before, int rows)
    {
        // A backend reports its statistics when idle, at most every second, but retries only after 10 s when the
        // report is delayed.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await WeeklyRowsRead() - before < rows && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.True(await WeeklyRowsRead() - before >= rows, "the window did not come from articles_search_weekly");
    }

    [Fact]
    public async Task RankedSearch_ThroughTheWeeklyIndex_PagesInTheOrderRankingTheWholeWindowGives()
    {
        // The weekly statement ranks the window and the first page reads only its own rows. Letters only, so that
        // English stems the plural and Indonesian does not: "…lats" is '…lat' in English, '…lats' in Indonesian.
        var tag = TestData.Token("week");
        var word = "z" + string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('b' + Convert.ToInt32(c.ToString(), 16)))) + "lat";
        var q = word + "s";
        // Ranks with ties (four kinds of text), Indonesian articles that match the query only through its English stem
        // (in the window, dropped from the pages), and English ones.
        var texts = Enumerable.Range(0, Window + 40).Select(i => i % 9 == 4
            ? ("Berita hari ini", $"Laporan tentang {word} dari Jakarta.")
            : (i % 4 == 0 ? $"{q} {q}" : "Berita hari ini", i % 4 == 1 ? $"Laporan {q}, {q} dan {q}." : $"Laporan tentang {q} dari Jakarta."))
            .ToList();
        await PublishAsync(tag, texts, TimeSpan.FromHours(3), language: i => i % 5 == 3 ? "en" : "id");
        var before = await WeeklyRowsRead();

        var ranked = (await reader.ListAll($"/v1/articles?tag={tag}&q={q}&limit=20")).Ids();

        await using var conn = new NpgsqlConnection(host.Factory.ConnectionString);
        var expected = (await Dapper.SqlMapper.QueryAsync<Guid>(conn, """
            with w as (
              select a.id, a.search, a.language from articles a
              where @Tag = any(a.tags) and a.status = 'published' and a.published_at <= now() and a.search @@
                (websearch_to_tsquery('indonesian', @Q) || websearch_to_tsquery('english', @Q) || websearch_to_tsquery('simple', @Q))
              order by a.published_at desc, a.id desc limit 300)
            select w.id from w cross join lateral (select websearch_to_tsquery(content_regconfig(w.language), @Q) as q) own
            where w.search @@ own.q order by ts_rank(w.search, own.q) desc, w.id desc
            """, new { Tag = tag, Q = q })).ToList();
        Assert.InRange(expected.Count, 200, Window - 1); // some of the window are dropped
        Assert.Equal(expected, ranked);
        await AssertWeeklyIndexHandedOut(before, Window);
    }

    [Fact]
    public async Task RankedPhraseSearch_CountsOnlyRealPhraseMatchesInTheWindow()
    {
        var tag = TestData.Token("week");
        var (first, second) = (TestData.Token("satu"), TestData.Token("dua"));
        // Window + 10 phrase matches, then 50 newer articles with both words apart: the weekly index has no positions
        // and finds those too; counted in, they would push 50 real matches out of the window.
        var texts = Enumerable.Range(0, Window + 10).Select(_ => ("Berita", $"Laporan {first} {second} dari Jakarta."))
            .Concat(Enumerable.Range(0, 50).Select(_ => ("Berita", $"{second} lalu {first} di Jakarta.")))
            .ToList();
        var ids = await PublishAsync(tag, texts, TimeSpan.FromMinutes(1));

        var ranked = (await reader.ListAll($"/v1/articles?tag={tag}&q=%22{first}%20{second}%22&limit=50")).Ids();

        Assert.Equal(ids.Take(Window + 10).Skip(10).Order(), ranked.Order());
    }

    [Fact]
    public async Task RankedPhraseSearch_OfSparseMatches_ChecksTheNewestCandidatesUntilTheWindowIsFull()
    {
        var tag = TestData.Token("week");
        var (first, second) = (TestData.Token("tiga"), TestData.Token("empat"));
        // The newest rows of the archive hold no match, so the window comes from all the term's candidates. A day
        // apart: Window + 10 phrase matches, then 50 newer articles with both words apart, which the index finds as
        // candidates (it has no positions): checked newest first, they must not take a place in the window.
        var matches = await PublishAsync(tag,
            [.. Enumerable.Range(0, Window + 10).Select(_ => ("Berita", $"Laporan {first} {second} dari Jakarta.")),
             .. Enumerable.Range(0, 50).Select(_ => ("Berita", $"{second} lalu {first} di Jakarta."))],
            TimeSpan.FromDays(1), ago: TimeSpan.FromDays(2));
        await PublishAsync(TestData.Token("week"), [.. Enumerable.Range(0, Window).Select(_ => ("Berita baru", "Laporan lain."))], TimeSpan.FromMinutes(1));

        var ranked = (await reader.ListAll($"/v1/articles?tag={tag}&q=%22{first}%20{second}%22&limit=50")).Ids();

        Assert.Equal(matches.Take(Window + 10).Skip(10).Order(), ranked.Order());
    }

    [Fact]
    public async Task WeeklyIndex_HoldsAnArticleUnderItsPublicationWeekOnly()
    {
        var word = TestData.Token("kata");
        var published = new DateTime(2025, 6, 12, 23, 59, 0, DateTimeKind.Utc);
        var id = (await admin.CreateArticle(TestData.Article(status: "published", publishedAt: published,
            body: [new { type = "paragraph", text = $"Laporan {word} ekonomi." }]))).Id();
        var week = (int)Math.Floor((published - DateTime.UnixEpoch).TotalSeconds / 604_800);
        // The query as the API makes it: each language's tsquery, printed by PostgreSQL.
        await using var conn = new NpgsqlConnection(host.Factory.ConnectionString);
        await conn.OpenAsync();
        await using var print = new NpgsqlCommand($"select {FullText.EachLanguageQueryText}".Replace("@Q", "$1"), conn)
        {
            Parameters = { new() { Value = $"{word} ekonomi" } },
        };
        var query = WeeklyQuery.OfLanguages((string[]?)await print.ExecuteScalarAsync())!;

        Task<long> Matches(int w) => DeliveryTestKit.Scalar(host.Factory.ConnectionString,
            "select count(*) from articles a where a.id = @id and search_weekly(a.search, a.published_at) @@ @q::tsquery",
            ("id", id), ("q", query.For(w)));
        Assert.Equal(1, await Matches(week));
        Assert.Equal(0, await Matches(week - 1));
        Assert.Equal(0, await Matches(week + 1));
        Assert.Equal(week, await DeliveryTestKit.Scalar(host.Factory.ConnectionString, "select search_week(@at)", ("at", published)));
        // No pending lists: every scan would read one whole, and a ranked search scans once per week.
        Assert.Equal(2, await DeliveryTestKit.Scalar(host.Factory.ConnectionString,
            "select count(*) from pg_class where relname in ('articles_search', 'articles_search_weekly') and 'fastupdate=off' = any(reloptions)"));
    }

    [Theory]
    [InlineData("'bank' & 'digit'", "'2895/bank' & '2895/digit'", true)]
    [InlineData("'bank' & 'gital' | 'bank' & 'digital'", "'2895/bank' & '2895/gital' | '2895/bank' & '2895/digital'", true)]
    [InlineData("'it''s' & 'a\\\\b'", "'2895/it''s' & '2895/a\\\\b'", true)]
    [InlineData("'ban':*", "'2895/ban':*", true)]
    [InlineData("'jae-won' <-> 'jae' <-> 'won'", "'2895/jae-won' & '2895/jae' & '2895/won'", false)]
    [InlineData("'a' <2> ( 'b' | 'c' )", "'2895/a' & ( '2895/b' | '2895/c' )", false)]
    [InlineData("'a':AB", "'2895/a'", false)]
    [InlineData("'a':B*", "'2895/a':*", false)]
    public void WeeklyQuery_PrefixesEveryLexemeWithTheWeek(string query, string expected, bool exact)
    {
        var weekly = WeeklyQuery.Parse(query);
        Assert.NotNull(weekly);
        Assert.Equal(expected, weekly.For(2895));
        Assert.Equal(exact, weekly.Exact);
    }

    [Theory]
    [InlineData("'susan' & 'miller'", "'susan' & 'miller'", "'susan' & 'miller'", "( '2895/susan' & '2895/miller' )")]
    [InlineData("'serang'", "'serangan'", "'serangan'", "( '2895/serang' ) | ( '2895/serangan' )")]
    [InlineData("", "", "'the'", "( '2895/the' )")]
    [InlineData("'a' | 'b'", "'a' | 'b'", "'a' & 'b'", "( '2895/a' | '2895/b' ) | ( '2895/a' & '2895/b' )")]
    public void WeeklyQuery_OfLanguages_TakesEachDistinctQueryOnce(string indonesian, string english, string simple, string expected) =>
        Assert.Equal(expected, WeeklyQuery.OfLanguages([indonesian, english, simple])!.For(2895));

    [Fact]
    public void WeeklyQuery_OfLanguages_IsNullWhenEveryLanguageDropsTheQuery()
    {
        Assert.Null(WeeklyQuery.OfLanguages(["", "", ""]));
        Assert.Null(WeeklyQuery.OfLanguages(null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!'war'")]
    [InlineData("'peace' & !'war'")]
    [InlineData("'unclosed")]
    public void WeeklyQuery_LeavesNegationsAndNonQueriesToTheFullIndex(string? query) => Assert.Null(WeeklyQuery.Parse(query));
}
