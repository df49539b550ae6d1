using ContentApi.Articles;
using ContentApi.Infrastructure;
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
    [InlineData(1, false)] // the newest weeks hold the window: the older weeks of the first span are never read
    [InlineData(6, false)] // the first span holds 100 matches: the weeks below it are read on, not the first ones again
    [InlineData(12, true)] // 50 in the first span: estimated from them, reading all matches would cost less (650)
    public async Task WeeklyWindow_ReadsWeeksNewestFirst_UntilTheWindowIsFull(int every, bool analyzed)
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
        if (analyzed) await DeliveryTestKit.Execute(cs, "analyze articles");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        // The window is looked for among the newest 600 articles first (about 7 weeks, so the weekly index is used).
        var order = ArticleRepository.RankedOrder(Audience.Reader, firstSpan: 600);
        var visible = order.Newest!;
        var before = await WeeklyEntriesRead(conn);

        var window = await RankedWindow.FindAsync(conn, order, [visible], new DynamicParameters(new { Q = word }), default);

        var read = await WeeklyEntriesRead(conn) - before;
        var newest = (await conn.QueryAsync<Guid>($"""
            select a.id from articles a where {visible} and {FullText.AnyLanguage("a")}
            order by a.published_at desc, a.id desc limit {RankedWindow.Size}
            """, new { Q = word })).ToArray();
        Assert.Equal(newest, window.Members);
        // Every match of the weeks from the newest down to the oldest member's, each once: no week below it, none twice.
        var weeks = await conn.ExecuteScalarAsync<long>($"""
            select count(*) from articles a where {FullText.AnyLanguage("a")}
              and search_week(a.published_at) >= (select search_week(b.published_at) from articles b where b.id = @Oldest)
            """, new { Q = word, Oldest = newest[^1] });
        Assert.Equal(weeks, read);
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
