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
/// The quote side of <see cref="PreparedSearchTests"/>' transaction count: a ranked first page of quotes ends its
/// window's snapshot in the page's batch, so a search starts one transaction, commits none apart and rolls none back
/// when the connection goes back to the pool; a later page (with a cursor) needs no snapshot at all.
/// </summary>
public sealed class QuoteSearchSnapshotTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_quote_snapshot");

    public Task InitializeAsync() => Database.MigrateAsync(connectionString, NullLogger.Instance);

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    [Fact]
    public async Task RankedQuotePages_EndTheirSnapshotInThePagesBatch()
    {
        Database.ConfigureDapper();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        Database.ConfigureDataSource(builder);
        var log = new LogCapture();
        builder.UseLoggerFactory(LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug)));
        await using var dataSource = builder.Build();
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

        int Logged(string message) => log.Entries.Count(e => e.Message == message);
        var rare = await Search("jarang");
        var common = await Search("sering");
        Assert.Equal((6, null), (rare.Ids.Length, rare.Next));
        Assert.Equal(20, common.Ids.Length);
        Assert.NotNull(common.Next);
        Assert.Equal(rare.Ids, (await Search("jarang")).Ids);
        Assert.Equal(common.Ids, (await Search("sering")).Ids);
        Assert.Equal((4, 0, 0), (Logged("Starting transaction"), Logged("Committed transaction"), Logged("Rolling back transaction")));

        // The second page reads the window the cursor carries, outside any transaction.
        var second = await Search("sering", common.Next);
        Assert.Equal(20, second.Ids.Length);
        Assert.Empty(second.Ids.Intersect(common.Ids));
        Assert.Equal((4, 0, 0), (Logged("Starting transaction"), Logged("Committed transaction"), Logged("Rolling back transaction")));
    }
}
