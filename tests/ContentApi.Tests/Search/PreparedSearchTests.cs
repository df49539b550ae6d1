using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;
using ContentApi.Search;
using ContentApi.Tests.Reliability;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContentApi.Tests.Search;

/// <summary>
/// A ranked first page runs its span, all-matches and page statements prepared and planned once, generically
/// (Search/PreparedQuery): on a pool of one connection, after searching a rare and a common word twice each, that
/// connection's prepared statements hold each of them with generic plans only, and the answers did not change between
/// the call that prepared them and the next. Each search's snapshot, for articles and for quotes, ends with its page, in
/// the page's batch: no commit of its own, and no rollback when the connection goes back to the pool.
/// </summary>
public sealed class PreparedSearchTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_prepared_search");

    public Task InitializeAsync() => Database.MigrateAsync(connectionString, NullLogger.Instance);

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    /// <summary>The app's data source settings on a pool of one connection, with Npgsql's debug log captured.</summary>
    private NpgsqlDataSource PoolOfOne(LogCapture log)
    {
        Database.ConfigureDapper();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        Database.ConfigureDataSource(builder);
        builder.UseLoggerFactory(LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug)));
        return builder.Build();
    }

    private static (int Started, int Committed, int RolledBack) Transactions(LogCapture log)
    {
        int Logged(string message) => log.Entries.Count(e => e.Message == message);
        return (Logged("Starting transaction"), Logged("Committed transaction"), Logged("Rolling back transaction"));
    }

    [Fact]
    public async Task RankedFirstPages_RunPreparedWithGenericPlans_AndAnswerAsBefore()
    {
        var log = new LogCapture();
        await using var dataSource = PoolOfOne(log);
        // 1,200 articles two hours apart: "jarang" in every 200th, "sering" in every other. The window is looked for
        // among the newest 600 first (about 7 weeks, so the weekly index is used); the rare word then has too few
        // matches in the probe weeks and is read whole, the common one fills the window from the newest weeks.
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                insert into articles (id, slug, title, language, status, published_at, body)
                select gen_random_uuid(), 'prepared-search-' || i, 'Berita ' || i, 'id', 'published', now() - interval '1 hour' - i * interval '2 hours',
                  jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text',
                    'Laporan ' || case when i % 200 = 0 then 'jarang ' else '' end || case when i % 2 = 0 then 'sering sering' else 'lain' end))
                from generate_series(1, 1200) i
                """);
            // The cost model needs the table's size to prefer reading all of a rare word's matches.
            await conn.ExecuteAsync("analyze articles");
        }
        var articles = new ArticleRepository(dataSource, Options.Create(new SearchOptions { WindowFirstSpan = 600 }));
        var parts = ArticleRepository.PartsFor(new HashSet<string>(["slug", "title"]));
        Assert.True(ArticleIncludes.TryParse(null, out var include, out _));

        async Task<string[]> Search(string q)
        {
            var filter = new ArticleFilter(null, null, null, null, null, q, null, null, null, "rank");
            var (items, _) = await articles.ListAsync(filter, null, 20, Audience.Reader, include, parts, None);
            return [.. items.Select(a => a.Slug)];
        }

        var rare = await Search("jarang");
        var common = await Search("sering");
        Assert.Equal(6, rare.Length);
        Assert.Equal(20, common.Length);
        Assert.Equal(rare, await Search("jarang"));
        Assert.Equal(common, await Search("sering"));
        Assert.Equal((4, 0, 0), Transactions(log));

        await using var check = await dataSource.OpenConnectionAsync();
        var prepared = (await check.QueryAsync<(string Statement, long Generic, long Custom)>(
            "select statement, generic_plans, custom_plans from pg_prepared_statements")).ToList();
        (long Generic, long Custom) Plans(string marker) =>
            prepared.Where(p => p.Statement.Contains(marker, StringComparison.Ordinal)).Select(p => (p.Generic, p.Custom)).SingleOrDefault();
        // The span statement (every search), the rare word's all-matches statement, the page (every search).
        Assert.Equal((4L, 0L), Plans("offset $"));
        Assert.Equal((2L, 0L), Plans("with m as materialized"));
        Assert.Equal((4L, 0L), Plans("ctid = any($"));
    }

    /// <summary>The quote side: a ranked first page's snapshot ends in its batch too; a page with a cursor needs none.</summary>
    [Fact]
    public async Task RankedQuotePages_EndTheirSnapshotInThePagesBatch()
    {
        var log = new LogCapture();
        await using var dataSource = PoolOfOne(log);
        // 300 quotes of one speaker: "jarang" in every 50th, "sering" in every other.
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                insert into people (id, slug, name) values ('00000000-0000-7000-8000-000000000001', 'pembicara', 'Pembicara');
                insert into quotes (id, text, language, type, speaker_id)
                select gen_random_uuid(), 'Kata ' || case when i % 50 = 0 then 'jarang ' else '' end || case when i % 2 = 0 then 'sering' else 'lain' end,
                  'id', 'direct', '00000000-0000-7000-8000-000000000001'
                from generate_series(1, 300) i;
                analyze quotes;
                """);
        }
        var quotes = new QuoteRepository(dataSource, Options.Create(new SearchOptions { WindowFirstSpan = 100 }));
        var none = new HashSet<string>();

        async Task<(Guid[] Ids, Keyset? Next)> Search(string q, Keyset? after = null)
        {
            var (items, next) = await quotes.ListAsync(new QuoteFilter(null, null, null, null, q, null, null), after, 20, Audience.Editor, none, None);
            return ([.. items.Select(x => x.Id)], next);
        }

        var rare = await Search("jarang");
        var common = await Search("sering");
        Assert.Equal((6, null), (rare.Ids.Length, rare.Next));
        Assert.Equal(20, common.Ids.Length);
        Assert.NotNull(common.Next);
        Assert.Equal(rare.Ids, (await Search("jarang")).Ids);
        Assert.Equal(common.Ids, (await Search("sering")).Ids);
        Assert.Equal((4, 0, 0), Transactions(log));

        // The second page reads the window the cursor carries, outside any transaction.
        var second = await Search("sering", common.Next);
        Assert.Equal(20, second.Ids.Length);
        Assert.Empty(second.Ids.Intersect(common.Ids));
        Assert.Equal((4, 0, 0), Transactions(log));
    }
}
