using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ContentApi.Tests.Conformance;

/// <summary>
/// Checks an answer against the committed openapi/v1.json: finds the operation by path template and method, the
/// response by status (or default), and validates the JSON body with JsonSchema.Net (draft 2020-12, formats asserted)
/// and each documented header (required ones must be there, present ones must match their schema).
/// </summary>
public sealed class OpenApiResponseValidator
{
    private static readonly Lazy<OpenApiResponseValidator> Committed = new(() =>
        new OpenApiResponseValidator(File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "openapi", "v1.json"))));

    /// <summary>The validator for the committed document, built once per test run.</summary>
    public static OpenApiResponseValidator Instance => Committed.Value;

    private readonly JsonObject document;
    private readonly JsonObject definitions;
    private readonly List<(Regex Pattern, int Parameters, string Template)> templates;
    private readonly ConcurrentDictionary<string, JsonSchema> compiled = new();
    // A pass/fail answer first (cheap: the fuzz battery sends thousands of requests); the full tree only to explain a failure.
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    public OpenApiResponseValidator(string json)
    {
        document = JsonNode.Parse(json)!.AsObject();
        var openApi3_0 = ((string?)document["openapi"])?.StartsWith("3.0", StringComparison.Ordinal) == true;
        // Schemas move to $defs so every $ref is a plain JSON Schema reference inside one schema resource.
        definitions = Rewrite(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject(), openApi3_0).AsObject();
        templates = document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"), p.Key.Count(c => c == '{'), p.Key))
            .OrderBy(t => t.Item2)
            .ToList();
    }

    /// <summary>Violations of the document in this answer; empty when it conforms or the path is not in the document.</summary>
    public IReadOnlyList<string> Validate(string method, string path, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, byte[] body)
    {
        var template = templates.FirstOrDefault(t => t.Pattern.IsMatch(path)).Template;
        if (template is null) return [];
        var lookup = method == "HEAD" ? "get" : method.ToLowerInvariant();
        var operation = document["paths"]![template]![lookup];
        if (operation is null) return [];
        var where = $"{method} {template} -> {status}";
        var responses = operation["responses"]!.AsObject();
        var statusKey = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses[statusKey] ?? responses[statusKey[0] + "XX"] ?? responses["default"];
        if (response is null)
            return [$"{where}: status not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})"];
        if (response["$ref"] is { } responseRef)
            response = Resolve((string)responseRef!);

        var violations = new List<string>();
        foreach (var (name, header) in response["headers"]?.AsObject() ?? [])
        {
            var h = header!["$ref"] is { } headerRef ? Resolve((string)headerRef!) : header;
            var values = headers.TryGetValues(name, out var v) ? v.ToList()
                : contentHeaders is not null && contentHeaders.TryGetValues(name, out var cv) ? cv.ToList() : null;
            if (values is null)
            {
                if ((bool?)h["required"] == true) violations.Add($"{where}: required header {name} missing");
                continue;
            }
            if (h["schema"] is JsonObject headerSchema)
                foreach (var value in values)
                    foreach (var error in Evaluate($"{where} header {name}", headerSchema, JsonSerializer.SerializeToElement(value)))
                        violations.Add($"{where}: header {name}: {value}: {error}");
        }

        var content = response["content"]?.AsObject();
        if (method == "HEAD" || status == 304 || status == 204)
        {
            if (body.Length > 0 && method != "HEAD") violations.Add($"{where}: a body where none is allowed");
            return violations;
        }
        var mediaType = contentHeaders?.ContentType?.MediaType;
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0) violations.Add($"{where}: undocumented body ({mediaType})");
            return violations;
        }
        if (mediaType is null || !content.ContainsKey(mediaType))
        {
            violations.Add($"{where}: Content-Type {mediaType ?? "(none)"} not documented (documented: {string.Join(", ", content.Select(c => c.Key))})");
            return violations;
        }
        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || content[mediaType]?["schema"] is not JsonObject schema)
            return violations;
        JsonElement instance;
        try { instance = JsonDocument.Parse(body).RootElement; }
        catch (JsonException e) { return [.. violations, $"{where}: body is not JSON: {e.Message}"]; }
        foreach (var error in Evaluate($"{where} {mediaType}", schema, instance))
            violations.Add($"{where}: {error}");
        return violations;
    }

    private JsonNode Resolve(string reference)
    {
        JsonNode node = document;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
            node = node[part.Replace("~1", "/").Replace("~0", "~")]!;
        return node;
    }

    private IEnumerable<string> Evaluate(string key, JsonObject schema, JsonElement instance)
    {
        var built = compiled.GetOrAdd(key, _ =>
        {
            var root = Rewrite(schema.DeepClone(), openApi3_0: false).AsObject();
            if (root.ContainsKey("$ref")) root = new JsonObject { ["allOf"] = new JsonArray(root) };
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = definitions.DeepClone();
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            return JsonSchema.Build(JsonSerializer.SerializeToElement(root), options, new Uri($"urn:contentapi:response:{Guid.NewGuid():N}"));
        });
        if (built.Evaluate(instance, Quick).IsValid) return [];
        var result = built.Evaluate(instance, Evaluation);
        return result.IsValid ? ["invalid by the quick check, valid by the full one"] : Failures(result);
    }

    // Only failed nodes, descending only into failed children: a oneOf that holds has failed branches of its own.
    private static IEnumerable<string> Failures(EvaluationResults node)
    {
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
            yield return $"{node.InstanceLocation} ({node.EvaluationPath}, {keyword}): {message}";
        foreach (var child in node.Details ?? [])
            if (!child.IsValid)
                foreach (var failure in Failures(child))
                    yield return failure;
    }

    /// <summary>
    /// #/components/schemas/X becomes #/$defs/X. For a 3.0 document, nullable: true with a type becomes a type list
    /// (what 3.0 means by it); nullable beside allOf/$ref stays as it is, since 3.0 gives it no meaning there.
    /// </summary>
    private static JsonNode Rewrite(JsonNode node, bool openApi3_0)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (name == "$ref" && child is JsonValue v && ((string?)v)?.StartsWith("#/components/schemas/", StringComparison.Ordinal) == true)
                        o[name] = "#/$defs/" + ((string)v!)["#/components/schemas/".Length..];
                    else if (child is not null && name is not ("example" or "examples" or "enum" or "default" or "const"))
                        Rewrite(child, openApi3_0);
                }
                if (openApi3_0 && (bool?)o["nullable"] == true && o["type"] is JsonValue type)
                {
                    o["type"] = new JsonArray((string?)type, "null");
                    if (o["enum"] is JsonArray values && !values.Any(x => x is null)) values.Add(null);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null) Rewrite(child, openApi3_0);
                break;
        }
        return node;
    }
}
