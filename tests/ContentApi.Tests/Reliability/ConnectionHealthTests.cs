using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// A statement PostgreSQL refuses must not poison the pooled connection it ran on. Found by the fuzzer (a 500 on a
/// valid PUT): with Npgsql's auto-prepare on, a statement that failed while its parameters were bound (a NUL in a URL
/// field, SQLSTATE 22021) on the very execution that prepared it (its fifth use on that connection) left the
/// connection's prepared statements corrupt, and the next run of that SQL there failed with "Received unexpected
/// backend message DataRow". Which connection an HTTP request gets is up to the pool, so this test drives the app's
/// own repository over a data source configured exactly as the app configures it, with one connection, putting the
/// refused statement at every position. CONTENTAPI_POOL_TEST_EXTRA appends to the connection string: with
/// "Max Auto Prepare=64" the test fails as the app did.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ConnectionHealthTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_pool");
    private readonly Figures figures = new(output, "connections");

    public Task InitializeAsync() => Database.MigrateAsync(connectionString, NullLogger.Instance);

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    private NpgsqlDataSource OneConnection()
    {
        var extra = Environment.GetEnvironmentVariable("CONTENTAPI_POOL_TEST_EXTRA");
        var builder = new NpgsqlDataSourceBuilder(connectionString + (string.IsNullOrEmpty(extra) ? "" : ";" + extra));
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        Database.ConfigureDataSource(builder);
        return builder.Build();
    }

    [Fact]
    public async Task AStatementRefusedWhileBinding_LeavesItsConnectionHealthy_WhereverItFallsInTheConnectionsLife()
    {
        Database.ConfigureDapper();
        var refusals = 0;
        var updates = 0;
        for (var refusedAt = 1; refusedAt <= 8; refusedAt++)
        {
            await using var dataSource = OneConnection();
            var people = new PersonRepository(dataSource);
            var quotes = new QuoteRepository(dataSource);
            var speaker = await people.CreateAsync(new PersonRequest { Slug = TestData.Slug("pool"), Name = "Jake Sullivan" }, ContentApi.Writes.Actor.CommandLine, CancellationToken.None);
            var quote = await quotes.CreateAsync(Quote(speaker.Id, "https://example.org/0"), ContentApi.Writes.Actor.CommandLine, CancellationToken.None);
            var version = quote.Version;
            for (var use = 1; use <= refusedAt + 3; use++)
            {
                if (use == refusedAt)
                {
                    var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                        quotes.UpdateAsync(quote.Id, Quote(speaker.Id, "https://example.org/a\u0000b"), version, ContentApi.Writes.Actor.CommandLine, CancellationToken.None));
                    Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, refused.SqlState);
                    refusals++;
                    continue;
                }
                var (updated, _, _) = await quotes.UpdateAsync(quote.Id, Quote(speaker.Id, $"https://example.org/{use}"), version, ContentApi.Writes.Actor.CommandLine, CancellationToken.None);
                Assert.True(updated is not null, $"update {use} (refused at {refusedAt}) found no row");
                version = updated!.Version;
                updates++;
            }
        }
        figures.Add("updates on one connection around a refused one, at positions 1 to 8", updates);
        figures.Add("refused updates (22021)", refusals);
    }

    private static QuoteRequest Quote(Guid speaker, string sourceUrl) => new()
    {
        Text = "Saya pikir itu akan menjadi kesalahan besar.",
        Language = "id",
        Type = QuoteType.Direct,
        SpeakerId = speaker,
        SourceUrl = sourceUrl,
    };
}
