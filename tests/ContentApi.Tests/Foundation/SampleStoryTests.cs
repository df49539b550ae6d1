using System.Text.Json.Nodes;
using ContentApi.Hosting;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class SampleStoryTests(ContentApiFactory factory)
{
    private const string Slug = "as-wanti-wanti-korut-soal-senjata-untuk-rusia";

    private static string Original() =>
        File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "db", "samples", "story-id-korut-rusia.txt"));

    private async Task<JsonObject> LoadAndRead()
    {
        await factory.Services.GetRequiredService<SampleLoader>().LoadAsync(CancellationToken.None);
        return await factory.Anonymous().GetOk($"/v1/articles/{Slug}?include=quotes.speaker,quotes.source,people,sources");
    }

    [Fact]
    public async Task AStoryOfSampleSize_KeepsItsSearchVectorInTheRow_OnlyTheBodyLeavesIt()
    {
        // Ranked search reads the tsvector of every ranked row (migration 0004): it must be in the row, not out of line.
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var toast = (string)(await conn.ExecuteScalarAsync("select reltoastrelid::regclass::text from pg_class where relname = 'articles'"))!;
        await conn.ExecuteAsync($"create temp table values_before as select distinct chunk_id from {toast}");
        var body = SampleLoader.ReadSample()["article"]!["body"]!.AsArray().Select(b => (object)b!).ToArray();

        var id = (await factory.Admin().CreateArticle(TestData.Article(body: body))).Id();

        var stored = await conn.QuerySingleAsync<(long Values, long Bytes)>(
            $"select count(distinct chunk_id), coalesce(sum(octet_length(chunk_data)), 0) from {toast} where chunk_id not in (select chunk_id from values_before)");
        var (search, bodySize) = await conn.QuerySingleAsync<(int, int)>(
            "select pg_column_size(search), pg_column_size(body) from articles where id = @id", new { id });
        Assert.True(search > 2000, $"the story's tsvector is {search} bytes: too small to leave the row anyway");
        Assert.Equal((1L, (long)bodySize), stored);
    }

    [Fact]
    public async Task SampleStory_ReadsBackWithEveryTextIdenticalToTheFile()
    {
        var article = await LoadAndRead();
        var sample = SampleLoader.ReadSample()["article"]!;
        var original = Original();
        var lines = original.Split('\n');

        var body = article["body"]!.AsArray();
        var expected = sample["body"]!.AsArray();
        Assert.Equal(expected.Count, body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            Assert.Equal((string)expected[i]!["type"]!, (string)body[i]!["type"]!);
            if (body[i]!["text"] is { } text)
            {
                Assert.Equal((string)expected[i]!["text"]!, (string)text!);
                Assert.Contains((string)text!, lines); // a whole line of the original, character for character
            }
        }
        Assert.DoesNotContain(body, b => ((string?)b!["text"])?.Contains("SCROLL TO CONTINUE") == true);
        Assert.Equal(2, body.Count(b => (string)b!["type"]! == "heading"));
        Assert.Single(body, b => (string)b!["type"]! == "image");
        Assert.Single(body, b => (string)b!["type"]! == "embed");

        var quotes = article["quotes"]!.AsArray();
        Assert.Equal(3, quotes.Count);
        foreach (var quote in quotes)
            Assert.Contains((string)quote!["text"]!, original);
        Assert.Equal(["Dmitry Peskov", "Jake Sullivan", "Kamala Harris"], quotes.Select(q => (string)q!["speaker"]!["name"]!));
        Assert.Equal(["Reuters", "AFP", "CBS News"], quotes.Select(q => (string)q!["source"]!["name"]!));
        Assert.Equal("Penasihat Keamanan Nasional AS", (string)quotes[1]!["speakerRole"]!);
        Assert.Equal("2023-09-06", (string)quotes[1]!["saidOn"]!);
        Assert.Equal("kepada wartawan di Gedung Putih", (string)quotes[1]!["occasion"]!);

        Assert.Equal(7, article["people"]!.AsArray().Count);
        Assert.All(article["people"]!.AsArray(), p => Assert.NotNull(p!["person"]!["name"]));
        Assert.Equal(["Reuters", "The New York Times", "AFP", "CBS News"], article["sources"]!.AsArray().Select(s => (string)s!["source"]!["name"]!));
    }

    [Fact]
    public async Task SampleStory_LoadsOnlyOnce()
    {
        await LoadAndRead();
        Assert.False(await factory.Services.GetRequiredService<SampleLoader>().LoadAsync(CancellationToken.None));
        var people = await factory.Anonymous().GetOk("/v1/people?q=Peskov");
        Assert.Single(people["items"]!.AsArray(), p => (string)p!["slug"]! == "dmitry-peskov");
    }

    [Fact]
    public async Task PatchingTheSampleStory_RoundTripsEveryTextByteForByte()
    {
        var admin = factory.Admin();
        var sample = SampleLoader.ReadSample()["article"]!.AsObject();
        var body = sample["body"]!.DeepClone();
        var created = await admin.CreateArticle(new
        {
            slug = TestData.Slug("sampel"),
            title = (string)sample["title"]!,
            summary = (string)sample["summary"]!,
            language = "id",
            status = "draft",
            body,
        });

        var response = await admin.SendAsync(TestData.Request(HttpMethod.Patch, $"/v1/articles/{created.Id()}",
            new { title = "Judul baru" }, "\"1\"", "application/merge-patch+json"));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, raw);

        var patched = JsonNode.Parse(raw)!;
        Assert.Equal("Judul baru", (string)patched["title"]!);
        Assert.Equal((string)sample["summary"]!, (string)patched["summary"]!);
        // The API writes absent optional fields as null (caption: null); everything the file says must be unchanged.
        var returned = patched["body"]!.DeepClone().AsArray();
        foreach (var block in returned.OfType<JsonObject>())
            foreach (var name in block.Where(p => p.Value is null).Select(p => p.Key).ToList())
                block.Remove(name);
        Assert.True(JsonNode.DeepEquals(body, returned), $"body changed by a PATCH of the title:\n{body.ToJsonString()}\n{returned.ToJsonString()}");
        var lines = Original().Split('\n');
        foreach (var block in patched["body"]!.AsArray().Where(b => b!["text"] is not null))
        {
            var text = (string)block!["text"]!;
            Assert.Contains(text, lines);
            // Byte for byte on the wire too: the UTF-8 of every text appears unescaped in the response.
            Assert.Contains(System.Text.Json.JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(), raw);
        }
    }
}
