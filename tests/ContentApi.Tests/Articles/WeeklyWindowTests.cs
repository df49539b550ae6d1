using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Search;
using ContentApi.Tests.Delivery;
using Dapper;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// The ranked window's weekly path against its own database (one per test, nothing else scans its weekly index), so
/// that the index entries it reads can be counted exactly.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WeeklyWindowTests : IAsyncLifetime
{
    private ContentApiFactory factory = null!;

    public async Task InitializeAsync() => factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>());

    public Task DisposeAsync() => factory.StopAsync();

    [Theory]
    [InlineData(1)] // the newest weeks hold the window: the older weeks of the first span are never read
    [InlineData(6)] // the first span holds 100 matches: the weeks below it are read on, not the first ones again
    [InlineData(12)] // 50 in the first span: the 64 probe weeks still hold the window
    public async Task WeeklyWindow_ReadsWeeksNewestFirst_UntilTheWindowIsFull(int every)
    {
        var cs = factory.ConnectionString;
        var word = DeliveryTestKit.Marker();
        // Without an analyze the planner's estimate of the table stays 0 (analyzed empty by the migrations), and the
        // cost model cannot prefer reading all matches.
        await DeliveryTestKit.Execute(cs, "alter table articles set (autovacuum_enabled = false)");
        // 1,200 articles two hours apart (84 a week): of the newest 600 every `every`th has the word, all older ones do.
        await DeliveryTestKit.Execute(cs, """
            insert into articles (id, slug, title, language, status, published_at, body)
            select gen_random_uuid(), 'weekly-' || i, 'Berita', 'id', 'published', now() - interval '1 hour' - i * interval '2 hours',
              jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text',
                case when i > 600 or i % @every = 0 then 'Laporan ' || @word else 'Laporan lain' end))
            from generate_series(1, 1200) i
            """, ("every", every), ("word", word));
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        // The window is looked for among the newest 600 articles first (about 7 weeks, so the weekly index is used).
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);
        var visible = order.Newest!;
        var before = await WeeklyEntriesRead(conn);

        var window = await FindInOwnSnapshotAsync(conn, order, word);

        var read = await WeeklyEntriesRead(conn) - before;
        var newest = await NewestMatchesAsync(conn, visible, word);
        Assert.Equal(newest.Select(n => n.Row), window.Rows);
        Assert.Equal(newest[^1].Id, window.Id);
        // Found through the weeks, the window comes ranked as the page ranks.
        Assert.Equal(await RanksAsync(conn, word, newest), window.Ranks);
        // Every match of the weeks from the newest down to the oldest member's, each once: no week below it, none twice.
        var weeks = await conn.ExecuteScalarAsync<long>($"""
            select count(*) from articles a where {FullText.AnyLanguage("a")}
              and search_week(a.published_at) >= (select search_week(b.published_at) from articles b where b.id = @Oldest)
            """, new { Q = word, Oldest = newest[^1].Id });
        Assert.Equal(weeks, read);
        // The weekly statement ran prepared on this connection, under its generic plan only (never planned per call).
        var plans = await conn.QuerySingleAsync<(long Generic, long Custom)>(
            "select coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) from pg_prepared_statements where statement like '%from unnest(%'");
        Assert.True(plans.Generic >= 1, $"generic plans: {plans.Generic}");
        Assert.Equal(0, plans.Custom);
    }

    [Theory]
    [InlineData(false)] // the table's size unknown: 131 matches in the 64 probe weeks, a second statement reads on
    [InlineData(true)] // analyzed: all the term's matches cost less than 155 more weeks; read from the plain index, unranked
    public async Task WeeklyWindow_OfASparseTerm_RanksAcrossStatements_OrReadsAllMatches(bool analyzed)
    {
        var cs = factory.ConnectionString;
        var word = DeliveryTestKit.Marker();
        await DeliveryTestKit.Execute(cs, "alter table articles set (autovacuum_enabled = false)");
        // The newest 600 articles two hours apart without the word (the first span, about 7 weeks), then 600 older ones
        // with it, three days apart.
        await DeliveryTestKit.Execute(cs, """
            insert into articles (id, slug, title, language, status, published_at, body)
            select gen_random_uuid(), 'sparse-' || i, 'Berita', 'id', 'published',
              case when i <= 600 then now() - interval '1 hour' - i * interval '2 hours'
                else now() - interval '50 days' - (i - 600) * interval '3 days' end,
              jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text', case when i > 600 then 'Laporan ' || @word else 'Laporan lain' end))
            from generate_series(1, 1200) i
            """, ("word", word));
        if (analyzed) await DeliveryTestKit.Execute(cs, "analyze articles");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);

        var window = await FindInOwnSnapshotAsync(conn, order, word);

        var newest = await NewestMatchesAsync(conn, order.Newest!, word);
        Assert.Equal(newest.Select(n => n.Row), window.Rows);
        // The 64 newest weeks, which the first weekly statement reads, cannot fill the window.
        Assert.InRange(await conn.ExecuteScalarAsync<long>($"""
            select count(*) from articles a where {FullText.AnyLanguage("a")}
              and search_week(a.published_at) > (select max(search_week(b.published_at)) from articles b where b.status = 'published') - 64
            """, new { Q = word }), 1, RankedWindow.Size - 1);
        Assert.Equal(analyzed ? null : await RanksAsync(conn, word, newest), window.Ranks);
    }

    // Which way the window is found, by how many weeks the first span's rows cover: through the weekly index when they
    // fit in its first read (64 weeks; 100k articles have about 55 in their newest 8,192), by spans beyond.
    [Theory]
    [InlineData(9, true)] // the newest 600 rows cover about 33 weeks: the weekly index
    [InlineData(20, false)] // about 72 weeks: spans
    public async Task Window_ComesFromTheWeeklyIndex_WhenTheFirstSpanFitsItsFirstRead(int hoursApart, bool weekly)
    {
        var cs = factory.ConnectionString;
        var word = DeliveryTestKit.Marker();
        await DeliveryTestKit.Execute(cs, "alter table articles set (autovacuum_enabled = false)");
        // 1,200 articles `hoursApart` apart, every other one with the word: the newest 300 matches lie in the newest 600 rows.
        await DeliveryTestKit.Execute(cs, """
            insert into articles (id, slug, title, language, status, published_at, body)
            select gen_random_uuid(), 'choice-' || i, 'Berita', 'id', 'published', now() - interval '1 hour' - i * @hours * interval '1 hour',
              jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text', case when i % 2 = 0 then 'Laporan ' || @word else 'Laporan lain' end))
            from generate_series(1, 1200) i
            """, ("hours", hoursApart), ("word", word));
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);
        var weeks = await conn.ExecuteScalarAsync<int>($"""
            select max(search_week(k)) - min(search_week(k)) from (
              select a.published_at as k from articles a where {order.Newest} order by a.published_at desc limit 600) x
            """);
        Assert.InRange(weeks, weekly ? 17 : 64, weekly ? 63 : 200);
        var before = await WeeklyEntriesRead(conn);

        var window = await FindInOwnSnapshotAsync(conn, order, word);

        var read = await WeeklyEntriesRead(conn) - before;
        var newest = await NewestMatchesAsync(conn, order.Newest!, word);
        Assert.Equal(RankedWindow.Size, newest.Length);
        Assert.Equal(newest.Select(n => n.Row), window.Rows);
        Assert.Equal(newest[^1].Id, window.Id);
        if (weekly)
        {
            Assert.True(read >= RankedWindow.Size, $"weekly index entries read: {read}");
            Assert.NotNull(window.Ranks); // ranked while read, as the weekly statement does
        }
        else
        {
            Assert.Equal(0, read);
            Assert.Null(window.Ranks);
        }
    }

    /// <summary>The window of a word among visible articles, found as a search finds it: in a snapshot of its own.</summary>
    private static async Task<RankedWindow.Edge> FindInOwnSnapshotAsync(NpgsqlConnection conn, RankedWindow.Order order, string word)
    {
        await using var snapshot = await RankedWindow.SnapshotAsync(conn, default);
        return await RankedWindow.FindAsync(snapshot, order, [order.Newest!], Query(word), default);
    }

    /// <summary>The newest window's worth of visible matches (id and address), newest first: what the window must hold.</summary>
    private static async Task<(Guid Id, string Row)[]> NewestMatchesAsync(NpgsqlConnection conn, string visible, string word) =>
        (await conn.QueryAsync<(Guid Id, string Row)>($"""
            select a.id, a.ctid::text from articles a where {visible} and {FullText.AnyLanguage("a")}
            order by a.published_at desc, a.id desc limit {RankedWindow.Size}
            """, new { Q = word })).ToArray();

    /// <summary>The page's rank of each row (in its own language), in the rows' order.</summary>
    private static async Task<(float? Rank, Guid Id)[]> RanksAsync(NpgsqlConnection conn, string word, (Guid Id, string Row)[] rows)
    {
        var ranks = (await conn.QueryAsync<(Guid Id, float Rank)>(
            "select a.id, ts_rank(a.search, websearch_to_tsquery(content_regconfig(a.language), @Q)) from articles a where a.id = any(@Ids)",
            new { Q = word, Ids = rows.Select(n => n.Id).ToArray() })).ToDictionary(r => r.Id, r => r.Rank);
        return rows.Select(n => ((float?)ranks[n.Id], n.Id)).ToArray();
    }

    [Fact]
    public async Task WindowRows_StayReadableInTheSnapshot_WhenTheirArticlesChangeMeanwhile()
    {
        // The first page reads the window's rows by address (ctid). An update between finding the window and reading
        // the page writes new row versions elsewhere: in the window's snapshot the page still reads the versions found.
        var cs = factory.ConnectionString;
        var word = DeliveryTestKit.Marker();
        await DeliveryTestKit.Execute(cs, """
            insert into articles (id, slug, title, language, status, published_at, body)
            select gen_random_uuid(), 'snapshot-' || i, 'Berita', 'id', 'published', now() - i * interval '1 hour',
              jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text', 'Laporan ' || @word))
            from generate_series(1, 400) i
            """, ("word", word));
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var snapshot = await RankedWindow.SnapshotAsync(conn, default);
        var window = await RankedWindow.FindAsync(snapshot, order, [order.Newest!], Query(word), default);
        Assert.Equal(RankedWindow.Size, window.Rows!.Length);

        await DeliveryTestKit.Execute(cs, "update articles set title = 'Berita baru' where slug like 'snapshot-%'");

        var where = new List<string>();
        var args = new DynamicParameters();
        RankedWindow.Apply(order, window, RankedWindow.Size, where, args);
        var titles = (await conn.QueryAsync<string>($"select a.title from articles a where {string.Join(" and ", where)}", args)).ToList();
        Assert.Equal(RankedWindow.Size, titles.Count);
        Assert.All(titles, t => Assert.Equal("Berita", t));
        await snapshot.CommitAsync();
        // Outside it, the addresses hold the old versions, which no later statement sees.
        Assert.Empty(await conn.QueryAsync<string>($"select a.title from articles a where {string.Join(" and ", where)}", args));
    }

    [Fact]
    public async Task FindAsync_RefusesATransactionThatIsNotASnapshot()
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RankedWindow.FindAsync(tx, order, [order.Newest!], new DynamicParameters(new { Q = "x" }), default));
    }

    /// <summary>The query's parameter, added by name (the weekly statement reads its parameters back by name).</summary>
    private static DynamicParameters Query(string q)
    {
        var args = new DynamicParameters();
        args.Add("Q", q);
        return args;
    }

    /// <summary>Entries the weekly index has handed out; this connection's own counts are flushed first.</summary>
    private static async Task<long> WeeklyEntriesRead(NpgsqlConnection conn)
    {
        // Statistics are flushed when a backend goes idle, at most once a second unless forced.
        await conn.ExecuteAsync("select pg_stat_force_next_flush()");
        return await conn.ExecuteScalarAsync<long>(
            "select coalesce(sum(idx_tup_read), 0) from pg_stat_user_indexes where indexrelname = 'articles_search_weekly'");
    }
}
