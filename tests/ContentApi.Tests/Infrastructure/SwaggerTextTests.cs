using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// Swagger UI renders descriptions as Markdown with HTML allowed: a placeholder such as &lt;key&gt; outside a code span
/// is read as an HTML tag and vanishes (the Authorize dialog said "Authorization: Bearer ." before).
/// </summary>
public sealed partial class SwaggerTextTests
{
    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("<[a-zA-Z][a-zA-Z0-9 _-]*>")]
    private static partial Regex Placeholder();

    private static IEnumerable<(string Path, string Text)> Descriptions(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "description" && v is JsonValue value && value.TryGetValue<string>(out var text))
                        yield return (path, text);
                    foreach (var d in Descriptions(v, path + "/" + k)) yield return d;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var d in Descriptions(a[i], $"{path}/{i}")) yield return d;
                break;
        }
    }

    [Fact]
    public void NoDescriptionHasAPlaceholderOutsideACodeSpan()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "openapi", "v1.json")));
        var all = Descriptions(document, "").ToList();
        Assert.Contains(all, d => d.Text.Contains("`Authorization: Bearer <api key>`", StringComparison.Ordinal)); // the control: a placeholder inside a code span
        var swallowed = all.Where(d => Placeholder().IsMatch(CodeSpan().Replace(d.Text, ""))).Select(d => $"{d.Path}: {d.Text}").ToList();
        Assert.True(swallowed.Count == 0, "placeholders Swagger UI would swallow as HTML tags:\n" + string.Join("\n", swallowed));
    }
}
