using System.Net;
using System.Text.Json.Nodes;
using ContentApi.Hosting;

namespace ContentApi.Tests.Foundation;

/// <summary>
/// The sample story loads with the ids its file gives (db/samples/korut-rusia.json), so the OpenAPI document's
/// examples address real rows: every GET "Try it out" opens on answers 200 as it is, and every id a request example
/// names exists. A fresh database with Content:LoadSample, as run.sh starts it.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class SampleIdsTests : IAsyncLifetime
{
    private readonly ContentApiFactory factory = new(new Dictionary<string, string> { ["Content:LoadSample"] = "true" });

    public Task InitializeAsync() => ((IAsyncLifetime)factory).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    [Fact]
    public async Task TheSample_LoadsWithTheIdsOfItsFile()
    {
        var admin = factory.Admin();
        var sample = SampleLoader.ReadSample();
        var article = await admin.GetOk($"/v1/articles/{SampleLoader.ArticleId}");
        Assert.Equal((string)sample["article"]!["slug"]!, (string)article["slug"]!);
        foreach (var (list, path, name) in new[] { ("people", "people", "slug"), ("sources", "sources", "slug"), ("quotes", "quotes", "text") })
        {
            foreach (var entry in sample[list]!.AsArray())
            {
                var read = await admin.GetOk($"/v1/{path}/{(string)entry!["id"]!}");
                Assert.Equal((string)entry[name]!, (string)read[name]!);
            }
        }
        Assert.Equal(3, article["quoteIds"]!.AsArray().Count);
        Assert.Equal(sample["quotes"]!.AsArray().Select(q => (string)q!["id"]!), article["quoteIds"]!.AsArray().Select(q => (string)q!));
    }

    [Fact]
    public async Task EveryGetWhosePathParametersHaveExamples_AnswersThemWith200()
    {
        var admin = factory.Admin();
        var document = JsonNode.Parse(await factory.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var tried = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.Contains('{') || item!["get"] is not { } get) continue;
            var parameters = get["parameters"]!.AsArray();
            var url = path;
            var query = new List<string>();
            var complete = true;
            foreach (var parameter in parameters)
            {
                var name = (string)parameter!["name"]!;
                var example = parameter["example"];
                if ((string)parameter["in"]! == "path")
                {
                    if (example is null) { complete = false; break; }
                    url = url.Replace("{" + name + "}", example.ToString());
                }
                else if ((string)parameter["in"]! == "query" && parameter["required"]?.GetValue<bool>() == true)
                    query.Add($"{name}={example}");
            }
            // Webhooks and keys are not in the sample: their ids cannot have an example that exists.
            if (!complete)
            {
                Assert.True(path.StartsWith("/v1/webhooks", StringComparison.Ordinal) || path.StartsWith("/v1/keys", StringComparison.Ordinal), $"{path} has a path parameter without an example");
                continue;
            }
            var full = query.Count == 0 ? url : $"{url}?{string.Join('&', query)}";
            var response = await admin.GetAsync(full);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {full} (from {path}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            tried.Add(path);
        }
        Assert.Contains("/v1/articles/{idOrSlug}", tried);
        Assert.Contains("/v1/quotes/{id}", tried);
        Assert.Contains("/v1/people/{id}/revisions/{version}/diff", tried);
        // Article, person, source and quote by id or slug, and three revision reads of each of the four.
        Assert.True(tried.Count >= 16, $"only {tried.Count} GETs tried: {string.Join(", ", tried)}");
    }

    [Fact]
    public async Task EveryIdARequestExampleNames_Exists()
    {
        var admin = factory.Admin();
        var document = JsonNode.Parse(await factory.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var collections = new Dictionary<string, string>
        {
            ["speakerId"] = "people", ["personId"] = "people", ["sourceId"] = "sources",
            ["quoteId"] = "quotes", ["quoteIds"] = "quotes", ["articleIds"] = "articles",
        };
        var checkedIds = 0;
        async Task Walk(JsonNode? node, string? key)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) await Walk(v, k);
                    break;
                case JsonArray a:
                    foreach (var v in a) await Walk(v, key);
                    break;
                case JsonValue v when key is not null && collections.TryGetValue(key, out var collection) && Guid.TryParse(v.ToString(), out var id):
                    var response = await admin.GetAsync($"/v1/{collection}/{id}");
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{key} {id} in a request example: {(int)response.StatusCode}");
                    checkedIds++;
                    break;
            }
        }
        foreach (var name in new[] { "QuoteRequest", "ArticleRequest", "QuotePatch", "ArticlePatch" })
            if (document["components"]!["schemas"]![name] is { } schema)
                await Walk(schema["examples"], null);
        Assert.True(checkedIds >= 8, $"only {checkedIds} ids checked");
    }
}
