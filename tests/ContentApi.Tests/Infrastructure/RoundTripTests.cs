using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>Includes cost a fixed number of database commands, whatever the page size: no N+1.</summary>
[Collection(ApiCollection.Name)]
public sealed class RoundTripTests(ContentApiFactory factory)
{
    private async Task<(int Commands, JsonObject Body)> CountCommands(HttpClient client, string url)
    {
        var database = new NpgsqlConnectionStringBuilder(factory.ConnectionString).Database!;
        var commands = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            // Listening to ASP.NET Core makes each request an activity, so commands can be traced to requests.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Only commands run for an HTTP request (not background work) in this fixture's database.
                if (activity.Source.Name == "Npgsql" && activity.Parent is not null
                    && activity.Tags.Any(t => t.Value == database) && activity.Tags.Any(t => t.Key is "db.statement" or "db.query.text"))
                    commands.Add(activity.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var body = await client.GetOk(url);
        return (commands.Count, body);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task ListOf100Articles_WithEveryInclude_RunsOneCommand()
    {
        var admin = factory.Admin();
        var tag = TestData.Slug("n1");
        var speaker = (await admin.CreatePerson()).Id();
        var source = (await admin.CreateSource()).Id();
        for (var i = 0; i < 100; i++)
        {
            var quotes = new List<Guid>();
            for (var j = 0; j < 3; j++)
                quotes.Add((await admin.CreateQuote(speaker, source, text: $"Kutipan {i}-{j}")).Id());
            await admin.CreateArticle(TestData.Article(tags: [tag], quoteIds: [.. quotes],
                people: [new { personId = speaker, role = "subject" }], sources: [new { sourceId = source, relation = "cited" }]));
        }

        var (commands, body) = await CountCommands(admin, $"/v1/articles?tag={tag}&limit=100&include=quotes.speaker,quotes.source,people,sources");

        var items = body["items"]!.AsArray();
        Assert.Equal(100, items.Count);
        Assert.All(items, a =>
        {
            Assert.Equal(3, a!["quotes"]!.AsArray().Count);
            Assert.All(a["quotes"]!.AsArray(), q => Assert.Equal(speaker, q!["speaker"]!.Id()));
            Assert.Equal(speaker, a["people"]![0]!["person"]!.Id());
            Assert.Equal(source, a["sources"]![0]!["source"]!.Id());
        });
        Assert.Equal(1, commands);
    }

    [Fact]
    public async Task GetArticle_WithEveryInclude_RunsOneCommand()
    {
        var admin = factory.Admin();
        var speaker = (await admin.CreatePerson()).Id();
        var quote = (await admin.CreateQuote(speaker)).Id();
        var article = await admin.CreateArticle(TestData.Article(quoteIds: [quote]));

        var (commands, body) = await CountCommands(admin, $"/v1/articles/{article["slug"]}?include=quotes.speaker,quotes.source,people,sources");

        Assert.Equal(speaker, body["quotes"]![0]!["speaker"]!.Id());
        Assert.Equal(1, commands);
    }
}
