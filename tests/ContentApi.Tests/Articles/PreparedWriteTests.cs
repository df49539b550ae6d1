using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Writes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// An article update, the revision it records and a quote create run as explicitly prepared statements
/// (Writes/PreparedCommand). A statement refused while binding (a NUL the validators stop, sent here past them) must
/// leave its connection's prepared statements usable, as ConnectionHealthTests asks of the unprepared ones: on a pool
/// of one connection, the refused update at every position of the connection's life, and every update around it
/// written with its links and its revision.
/// </summary>
public sealed class PreparedWriteTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_prepared");

    public Task InitializeAsync() => Database.MigrateAsync(connectionString, NullLogger.Instance);

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    [Fact]
    public async Task AnUpdateRefusedWhileBinding_LeavesThePreparedWritesOfItsConnectionWorking()
    {
        Database.ConfigureDapper();
        for (var refusedAt = 1; refusedAt <= 6; refusedAt++)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.MaxPoolSize = 1;
            Database.ConfigureDataSource(builder);
            await using var dataSource = builder.Build();
            var articles = new ArticleRepository(dataSource);
            var speaker = await new PersonRepository(dataSource).CreateAsync(
                new PersonRequest { Slug = TestData.Slug("prepared"), Name = "Retno Marsudi" }, Actor.CommandLine, None);
            var quote = await new QuoteRepository(dataSource).CreateAsync(new QuoteRequest
            {
                Text = "Kami akan terus memantau perkembangan harga beras.",
                Language = "id",
                Type = QuoteType.Direct,
                SpeakerId = speaker.Id,
            }, Actor.CommandLine, None);
            var slug = TestData.Slug("prepared");
            var article = await articles.CreateAsync(Article(slug, "first", []), Actor.CommandLine, None);
            var version = article.Version;
            var last = "first";
            for (var use = 1; use <= refusedAt + 3; use++)
            {
                // Every other update links the quote and the next unlinks it: both forms of the links batch run.
                Guid[] linked = use % 2 == 0 ? [quote.Id] : [];
                if (use == refusedAt)
                {
                    var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                        articles.UpdateAsync(article.Id, Article(slug, "a\u0000b", linked), version, Actor.CommandLine, None));
                    Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, refused.SqlState);
                    continue;
                }
                last = $"summary {use}";
                var (updated, notCorrectable) = await articles.UpdateAsync(article.Id, Article(slug, last, linked), version, Actor.CommandLine, None);
                Assert.False(notCorrectable);
                Assert.True(updated is not null, $"update {use} (refused at {refusedAt}) found no row");
                Assert.Equal(last, updated!.Summary);
                Assert.Equal(linked, updated.QuoteIds);
                Assert.Equal(version + 1, updated.Version);
                version = updated.Version;
            }
            await using var conn = await dataSource.OpenConnectionAsync();
            var revisions = (await conn.QueryAsync<(int Version, string Summary)>(
                "select version, state->>'summary' from revisions where entity = 'article' and id = @Id order by version", new { article.Id })).ToList();
            Assert.Equal(Enumerable.Range(1, version), revisions.Select(r => r.Version));
            Assert.Equal(last, revisions[^1].Summary);
            var quoteVersion = await conn.QuerySingleAsync<int>("select version from quotes where id = @Id", new { quote.Id });
            // Linked at every even use and unlinked at every odd one after it: each change of its articleIds is a version.
            var changes = Enumerable.Range(1, refusedAt + 3).Where(u => u != refusedAt).Select(u => u % 2 == 0).Prepend(false)
                .Zip(Enumerable.Range(1, refusedAt + 3).Where(u => u != refusedAt).Select(u => u % 2 == 0), (a, b) => a != b).Count(c => c);
            Assert.Equal(1 + changes, quoteVersion);
        }
    }

    private static ArticleRequest Article(string slug, string summary, Guid[] quoteIds) => new()
    {
        Slug = slug,
        Title = "Harga beras naik di seluruh provinsi",
        Summary = summary,
        Language = "id",
        Status = ArticleStatus.Draft,
        Body = [new ParagraphBlock { Text = "Harga beras naik lagi pekan ini." }],
        QuoteIds = quoteIds,
    };
}
