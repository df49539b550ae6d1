using ContentApi.Infrastructure;
using ContentApi.Sync;
using ContentApi.Tests.Reliability;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContentApi.Tests.Sync;

/// <summary>
/// A sync page without releases is one batch to PostgreSQL (its transaction begun and committed inside it); a page that
/// hands out released articles reads them, and the changes in the room they leave, in a transaction of its own.
/// Npgsql's own command log counts the executions.
/// </summary>
public sealed class SyncRoundTripTests : IAsyncLifetime
{
    private readonly ContentApiFactory factory = new();

    public Task InitializeAsync() => factory.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    [Fact]
    public async Task APageWithoutReleases_IsOneBatch_APageWithReleases_ReadsThemFirst()
    {
        var editor = factory.Admin();
        var speaker = (await editor.CreatePerson("Jake Sullivan", "Sullivan")).Id();
        var quote = (await editor.CreateQuote(speaker)).Id();
        var article = (await editor.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5), quoteIds: [quote]))).Id();

        var log = new LogCapture();
        var builder = new NpgsqlDataSourceBuilder(factory.ConnectionString);
        Database.ConfigureDataSource(builder);
        builder.UseLoggerFactory(LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug)));
        await using var dataSource = builder.Build();
        var sync = new SyncRepository(dataSource);
        int Executions() => log.Entries.Count(e => e.Category == "Npgsql.Command" && e.Message.StartsWith("Executing", StringComparison.Ordinal));
        int Transactions() => log.Entries.Count(e => e.Category == "Npgsql.Transaction");

        // The feed holds back changes while any transaction on the server is open (other tests run in parallel): read
        // again until the three are there.
        (IReadOnlyList<SyncItem> Items, SyncPosition Next, bool More) first;
        int before, transactionsBefore, attempts = 0;
        do
        {
            if (attempts++ > 0) await Task.Delay(200);
            (before, transactionsBefore) = (Executions(), Transactions());
            first = await sync.ReadAsync(null, 100, Audience.Reader, CancellationToken.None);
        } while (attempts < 150 && first.Items.Count < 3);
        // The quote changes again when the article that makes it public is written.
        Assert.Equal(new[] { ("person", speaker), ("article", article), ("quote", quote) }, first.Items.Select(i => (i.Type, i.Id)));
        Assert.All(first.Items, i => Assert.Equal(SyncOp.Upsert, i.Op));
        Assert.False(first.More);
        Assert.Equal(1, Executions() - before);
        Assert.Equal(0, Transactions() - transactionsBefore);

        // Two at a time: the changes are cut to the page, and the third comes on the next, each page one batch.
        (before, transactionsBefore) = (Executions(), Transactions());
        var two = await sync.ReadAsync(null, 2, Audience.Reader, CancellationToken.None);
        Assert.Equal(new[] { ("person", speaker, SyncOp.Upsert), ("article", article, SyncOp.Upsert) }, two.Items.Select(i => (i.Type, i.Id, i.Op)));
        Assert.True(two.More);
        var rest = await sync.ReadAsync(two.Next, 2, Audience.Reader, CancellationToken.None);
        Assert.Equal(new[] { ("quote", quote, SyncOp.Upsert) }, rest.Items.Select(i => (i.Type, i.Id, i.Op)));
        Assert.False(rest.More);
        Assert.Equal(2, Executions() - before);
        Assert.Equal(0, Transactions() - transactionsBefore);

        // Due since the first page: released first, in a transaction with the round trips releases take.
        var releaseAt = DateTime.UtcNow.AddSeconds(1);
        var scheduled = (await editor.CreateArticle(TestData.Article(status: "published", publishedAt: releaseAt))).Id();
        // Task.Delay refuses a negative wait, which a slow setup on a loaded machine can leave.
        if (releaseAt - DateTime.UtcNow + TimeSpan.FromMilliseconds(300) is { Ticks: > 0 } wait) await Task.Delay(wait);
        (before, transactionsBefore) = (Executions(), Transactions());
        var second = await sync.ReadAsync(first.Next, 100, Audience.Reader, CancellationToken.None);
        Assert.Equal(new[] { ("article", scheduled, SyncOp.Upsert) }, second.Items.Select(i => (i.Type, i.Id, i.Op)));
        Assert.False(second.More);
        Assert.True(Executions() - before >= 3, $"{Executions() - before} executions");
        Assert.True(Transactions() - transactionsBefore > 0, "no transaction of its own");

        // Nothing due after it: one batch again, and nothing new.
        (before, transactionsBefore) = (Executions(), Transactions());
        var third = await sync.ReadAsync(second.Next, 100, Audience.Reader, CancellationToken.None);
        Assert.Empty(third.Items);
        Assert.False(third.More);
        Assert.Equal(1, Executions() - before);
        Assert.Equal(0, Transactions() - transactionsBefore);
    }
}
