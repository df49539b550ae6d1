using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Search;
using ContentApi.Tests.Delivery;
using Dapper;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// Which way the ranked window is found, by how many weeks the first span's rows cover: through the weekly index when
/// they fit in its first read (64 weeks; an archive of 100k articles has about 55 in its newest 8,192), by spans of
/// the key's index beyond. Either way the window is the newest matches. Own database per test, so the weekly index's
/// reads are this test's alone.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WeeklyWindowChoiceTests : IAsyncLifetime
{
    private ContentApiFactory factory = null!;

    public async Task InitializeAsync() => factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>());

    public Task DisposeAsync() => factory.StopAsync();

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

        RankedWindow.Edge window;
        await using (var snapshot = await RankedWindow.SnapshotAsync(conn, default))
        {
            var args = new DynamicParameters();
            args.Add("Q", word);
            window = await RankedWindow.FindAsync(snapshot, order, [order.Newest!], args, default);
        }

        var read = await WeeklyEntriesRead(conn) - before;
        var newest = (await conn.QueryAsync<(Guid Id, string Row)>($"""
            select a.id, a.ctid::text from articles a where {order.Newest} and {FullText.AnyLanguage("a")}
            order by a.published_at desc, a.id desc limit {RankedWindow.Size}
            """, new { Q = word })).ToArray();
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

    /// <summary>Entries the weekly index has handed out; this connection's own counts are flushed first.</summary>
    private static async Task<long> WeeklyEntriesRead(NpgsqlConnection conn)
    {
        await conn.ExecuteAsync("select pg_stat_force_next_flush()");
        return await conn.ExecuteScalarAsync<long>(
            "select coalesce(sum(idx_tup_read), 0) from pg_stat_user_indexes where indexrelname = 'articles_search_weekly'");
    }
}
