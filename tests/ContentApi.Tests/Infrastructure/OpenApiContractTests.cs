using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Infrastructure;

/// <summary>The committed openapi/v1.json is the contract: it must equal what the running app generates.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiContractTests(ContentApiFactory factory)
{
    private static string CommittedPath => Path.Combine(TestDatabase.RepoRoot(), "openapi", "v1.json");

    [Fact]
    public async Task CommittedDocument_MatchesTheRunningApp()
    {
        var generated = await factory.Anonymous().GetStringAsync("/swagger/v1/swagger.json");
        var pretty = JsonNode.Parse(generated)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable("CONTENTAPI_UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CommittedPath, pretty);

        var committed = File.Exists(CommittedPath) ? await File.ReadAllTextAsync(CommittedPath) : "{}";
        var differences = Differences(JsonNode.Parse(committed), JsonNode.Parse(pretty), "$").Take(20).ToList();
        Assert.True(differences.Count == 0,
            "openapi/v1.json differs from the app's document. If the change is intended, regenerate it with\n" +
            "  CONTENTAPI_UPDATE_OPENAPI=1 ./test.sh --filter FullyQualifiedName~OpenApiContractTests\n" +
            "and review `git diff openapi/`. First differences:\n  " + string.Join("\n  ", differences));
    }

    [Fact]
    public async Task EveryOperation_HasOperationIdSummaryTagAndProblemResponses()
    {
        var doc = JsonNode.Parse(await factory.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var ids = new HashSet<string>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var id = (string?)op!["operationId"];
                Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
                Assert.True(ids.Add(id!), $"operationId {id} is not unique");
                Assert.False(string.IsNullOrEmpty((string?)op["summary"]), $"{id} has no summary");
                Assert.NotEmpty(op["tags"]!.AsArray());
                var responses = op["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2'));
                Assert.Contains(responses, r => r.Key.StartsWith('4') && r.Value!["content"]?["application/problem+json"] is not null);
            }
        Assert.True(ids.Count >= 26, $"only {ids.Count} operations");
    }

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject oa, JsonObject ob):
                foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                {
                    if (!ob.ContainsKey(key)) { yield return $"{path}.{key}: removed"; continue; }
                    if (!oa.ContainsKey(key)) { yield return $"{path}.{key}: added"; continue; }
                    foreach (var d in Differences(oa[key], ob[key], $"{path}.{key}")) yield return d;
                }
                break;
            case (JsonArray aa, JsonArray ab):
                if (aa.Count != ab.Count) yield return $"{path}: {aa.Count} items, now {ab.Count}";
                for (var i = 0; i < Math.Min(aa.Count, ab.Count); i++)
                    foreach (var d in Differences(aa[i], ab[i], $"{path}[{i}]")) yield return d;
                break;
            default:
                if (!JsonNode.DeepEquals(a, b)) yield return $"{path}: {a?.ToJsonString()} -> {b?.ToJsonString()}";
                break;
        }
    }
}
