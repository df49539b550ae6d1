using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>One operation of the committed OpenAPI document, as the fuzzer and the response checks need it.</summary>
public sealed record Operation(
    string Id, string Method, string Path, IReadOnlyList<Parameter> Parameters,
    string? BodyContentType, JsonNode? BodySchema, bool BodyRequired,
    IReadOnlyDictionary<int, JsonNode?> Responses, IReadOnlyList<string> AcceptedContentTypes)
{
    public IEnumerable<Parameter> In(string location) => Parameters.Where(p => p.In == location);

    public bool HasBody => BodyContentType is not null;

    public bool IsWrite => Method is not ("GET" or "HEAD");

    public override string ToString() => $"{Id} ({Method} {Path})";
}

public sealed record Parameter(string Name, string In, JsonNode Schema, string Description, bool Required);

/// <summary>
/// Reads openapi/v1.json (the reviewed contract, not the running app's document) and checks JSON values against its
/// schemas. The checker covers exactly the subset the document uses: $ref, type, format, nullable, enum, properties,
/// required, additionalProperties, items, allOf, oneOf with discriminator. Anything else in a schema fails loudly, so
/// a new keyword cannot be silently ignored.
/// </summary>
public sealed partial class Contract
{
    private static readonly HashSet<string> Known =
    [
        "$ref", "type", "format", "nullable", "enum", "properties", "required", "additionalProperties", "items",
        "allOf", "oneOf", "discriminator", "description", "example", "examples", "title", "readOnly", "writeOnly", "default",
    ];

    public JsonObject Document { get; }
    public IReadOnlyList<Operation> Operations { get; }
    public IReadOnlyList<string> ProblemCodes { get; }

    private Contract(JsonObject document)
    {
        Document = document;
        foreach (var holder in Holders(document).Where(h => h["discriminatorFrom"] is not null).ToList())
        {
            var name = ((string)holder["discriminatorFrom"]!).Split('/')[^1];
            holder.Remove("discriminatorFrom");
            holder["discriminator"] = document["components"]!["schemas"]![name]!["discriminator"]!.DeepClone();
        }
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var op = node!.AsObject();
                var parameters = (op["parameters"]?.AsArray() ?? [])
                    .Select(p => new Parameter((string)p!["name"]!, (string)p["in"]!, p["schema"] ?? new JsonObject(),
                        (string?)p["description"] ?? "", (bool?)p["required"] ?? false))
                    .ToList();
                string? contentType = null;
                var accepted = new List<string>();
                JsonNode? bodySchema = null;
                var bodyRequired = false;
                if (op["requestBody"] is JsonObject body)
                {
                    var content = body["content"]!.AsObject().First();
                    contentType = content.Key;
                    bodySchema = content.Value!["schema"];
                    bodyRequired = (bool?)body["required"] ?? false;
                    accepted.AddRange(body["content"]!.AsObject().Select(c => c.Key));
                }
                var responses = new Dictionary<int, JsonNode?>();
                foreach (var (status, response) in op["responses"]!.AsObject())
                {
                    var content = response!["content"] as JsonObject;
                    var schema = content?.FirstOrDefault(c => c.Key is "application/json" or "application/problem+json").Value?["schema"];
                    responses[int.Parse(status, CultureInfo.InvariantCulture)] = schema;
                }
                operations.Add(new Operation((string)op["operationId"]!, method.ToUpperInvariant(), path, parameters,
                    contentType, bodySchema, bodyRequired, responses, accepted));
            }
        }
        Operations = operations;
        ProblemCodes = Schema("Problem")["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!).ToList();
    }

    public static Contract Load() =>
        new(Downlevel(JsonNode.Parse(File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "openapi", "v1.json")))!).AsObject());

    /// <summary>
    /// The battery's generator and checker speak the OpenAPI 3.0 subset; the document is 3.1 (JSON Schema 2020-12),
    /// which every answer is validated against in full by Conformance/OpenApiResponseValidator. Here it is read as
    /// the same shapes in 3.0 terms: type [X, null] and oneOf [X, {type: null}] are nullable X; anyOf [full, fields=]
    /// is the full schema (the checker handles fields= itself); a block item, allOf [base, oneOf blocks], is the
    /// oneOf with the base's discriminator; bounds and patterns are left to the real validator.
    /// </summary>
    private static JsonNode Downlevel(JsonNode node)
    {
        if (node is JsonArray array)
        {
            foreach (var child in array)
                if (child is not null) Downlevel(child);
            return node;
        }
        if (node is not JsonObject o) return node;
        foreach (var (name, child) in o.ToList())
            if (child is not null && name is not ("example" or "examples" or "enum" or "default")) Downlevel(child);
        if (o["type"] is JsonArray types)
        {
            var named = types.Select(t => (string)t!).Where(t => t != "null").ToList();
            o["type"] = named.Count == 1 ? named[0] : null;
            if (named.Count < types.Count) o["nullable"] = true;
            if (o["enum"] is JsonArray values)
                foreach (var value in values.Where(v => v is null).ToList()) values.Remove(value);
        }
        if (o["oneOf"] is JsonArray oneOf && oneOf.Any(x => (string?)x?["type"] == "null"))
        {
            var rest = oneOf.Where(x => (string?)x?["type"] != "null").Select(x => x!.DeepClone()).ToList();
            o.Remove("oneOf");
            o["nullable"] = true;
            if (rest.Count == 1) o["allOf"] = new JsonArray(rest[0]);
            else o["oneOf"] = new JsonArray([.. rest]);
        }
        if (o["anyOf"] is JsonArray anyOf)
        {
            o.Remove("anyOf");
            o["$ref"] = anyOf[0]!["$ref"]!.DeepClone();
        }
        if (o["allOf"] is JsonArray { Count: 2 } allOf && allOf[1] is JsonObject { Count: 1 } second && second["oneOf"] is JsonArray blocks)
        {
            o.Remove("allOf");
            o["oneOf"] = blocks.DeepClone();
            o["discriminatorFrom"] = allOf[0]!["$ref"]!.DeepClone();
        }
        foreach (var keyword in new[] { "maxLength", "minLength", "pattern", "minimum", "maximum", "maxItems", "minItems", "uniqueItems", "const" })
            o.Remove(keyword);
        return node;
    }

    private static IEnumerable<JsonObject> Holders(JsonNode node)
    {
        if (node is JsonObject o)
        {
            yield return o;
            foreach (var (_, child) in o)
                if (child is not null)
                    foreach (var h in Holders(child)) yield return h;
        }
        else if (node is JsonArray a)
            foreach (var child in a)
                if (child is not null)
                    foreach (var h in Holders(child)) yield return h;
    }

    public JsonObject Schema(string name) => Document["components"]!["schemas"]![name]!.AsObject();

    public JsonObject Resolve(JsonNode schema)
    {
        var obj = schema.AsObject();
        while (obj["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            obj = Schema(name);
        }
        return obj;
    }

    /// <summary>The schema's enum values when it (or its allOf) is a string enum.</summary>
    public IReadOnlyList<string>? EnumOf(JsonNode schema)
    {
        var s = Resolve(schema);
        if (s["enum"] is JsonArray values) return values.Select(v => (string)v!).ToList();
        if (s["allOf"] is JsonArray all && all.Count == 1) return EnumOf(all[0]!);
        return null;
    }

    /// <summary>The object schema behind a property (through $ref and single allOf), or null for scalars and arrays.</summary>
    public JsonObject? ObjectOf(JsonNode schema)
    {
        var s = Resolve(schema);
        if (s["properties"] is JsonObject) return s;
        if (s["allOf"] is JsonArray all && all.Count == 1) return ObjectOf(all[0]!);
        return null;
    }

    /// <summary>The name of the component a schema refers to (through a single allOf), or null.</summary>
    public static string? RefName(JsonNode? schema)
    {
        if (schema is not JsonObject obj) return null;
        if (obj["$ref"] is JsonValue r) return ((string)r!).Split('/')[^1];
        if (obj["allOf"] is JsonArray all && all.Count == 1) return RefName(all[0]);
        return null;
    }

    public static bool IsNullable(JsonNode schema) => (bool?)schema["nullable"] == true;

    /// <summary>
    /// Validates <paramref name="value"/> against <paramref name="schema"/>; returns the errors (empty when valid).
    /// <paramref name="sparse"/>: a fields= answer, whose top-level objects (the resource, or each page item) carry only
    /// the requested fields plus id.
    /// </summary>
    public List<string> Validate(JsonNode? value, JsonNode schema, ISet<string>? sparse = null)
    {
        var errors = new List<string>();
        var resolved = Resolve(schema);
        if (sparse is not null && resolved["properties"] is JsonObject page && page.ContainsKey("items") && page.ContainsKey("nextCursor"))
        {
            // A page: the items are sparse, the page itself is not.
            if (value is not JsonObject obj || obj["items"] is not JsonArray items)
            {
                errors.Add("$: expected a page with items");
                return errors;
            }
            foreach (var required in resolved["required"]?.AsArray() ?? [])
                if (!obj.ContainsKey((string)required!))
                    errors.Add($"$: missing required property '{required}'");
            foreach (var (name, _) in obj)
                if (!page.ContainsKey(name))
                    errors.Add($"$: undocumented property '{name}'");
            Check(obj["nextCursor"], page["nextCursor"]!, "$.nextCursor", errors, null);
            for (var i = 0; i < items.Count; i++)
                Check(items[i], page["items"]!["items"]!, $"$.items[{i}]", errors, sparse);
            return errors;
        }
        Check(value, schema, "$", errors, sparse);
        return errors;
    }

    private void Check(JsonNode? value, JsonNode schemaNode, string path, List<string> errors, ISet<string>? sparse)
    {
        if (errors.Count > 20) return;
        var schema = schemaNode.AsObject();
        foreach (var (keyword, _) in schema)
            if (!Known.Contains(keyword))
                throw new InvalidOperationException($"The schema checker does not know '{keyword}' (at {path}); extend Contract.Check.");

        if (schema["$ref"] is JsonValue)
        {
            Check(value, Resolve(schema), path, errors, sparse);
            return;
        }
        if (value is null)
        {
            if (!IsNullable(schema) && (schema.ContainsKey("type") || schema.ContainsKey("allOf") || schema.ContainsKey("oneOf") || schema.ContainsKey("enum")))
                errors.Add($"{path}: null where the schema does not allow it");
            return;
        }
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
                Check(value, part!, path, errors, sparse);
        }
        if (schema["oneOf"] is JsonArray oneOf)
        {
            if (schema["discriminator"] is JsonObject discriminator)
            {
                var property = (string)discriminator["propertyName"]!;
                var tag = value is JsonObject o && o[property] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
                var target = tag is null ? null : (string?)discriminator["mapping"]?[tag];
                if (target is null)
                    errors.Add($"{path}: {property} '{tag}' is not one of the discriminator's values");
                else
                    Check(value, new JsonObject { ["$ref"] = target }, path, errors, sparse);
            }
            else
            {
                var matches = oneOf.Count(option => Validate(value, option!).Count == 0);
                if (matches != 1) errors.Add($"{path}: matches {matches} of the oneOf options, not exactly one");
            }
        }
        if (schema["enum"] is JsonArray allowed)
        {
            if (!allowed.Any(a => JsonNode.DeepEquals(a, value)))
                errors.Add($"{path}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }
        var type = (string?)schema["type"];
        switch (type)
        {
            case null:
                break;
            case "string":
                if (value is not JsonValue sv || !sv.TryGetValue<string>(out var str))
                {
                    errors.Add($"{path}: expected a string, got {value.ToJsonString()[..Math.Min(60, value.ToJsonString().Length)]}");
                    break;
                }
                CheckFormat(str, (string?)schema["format"], path, errors);
                break;
            case "integer":
                if (value is not JsonValue iv || iv.GetValueKind() != System.Text.Json.JsonValueKind.Number || !long.TryParse(iv.ToJsonString(), out var n))
                    errors.Add($"{path}: expected an integer, got {value.ToJsonString()}");
                else if ((string?)schema["format"] == "int32" && n is < int.MinValue or > int.MaxValue)
                    errors.Add($"{path}: {n} is outside int32");
                break;
            case "number":
                if (value is not JsonValue nv || nv.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                    errors.Add($"{path}: expected a number, got {value.ToJsonString()}");
                break;
            case "boolean":
                if (value is not JsonValue bv || bv.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                    errors.Add($"{path}: expected a boolean, got {value.ToJsonString()}");
                break;
            case "array":
                if (value is not JsonArray array)
                {
                    errors.Add($"{path}: expected an array");
                    break;
                }
                if (schema["items"] is JsonNode itemSchema)
                    for (var i = 0; i < array.Count; i++)
                        Check(array[i], itemSchema, $"{path}[{i}]", errors, null);
                break;
            case "object":
                if (value is not JsonObject)
                    errors.Add($"{path}: expected an object");
                break;
            default:
                throw new InvalidOperationException($"Unknown type '{type}' at {path}.");
        }
        if (schema["properties"] is JsonObject properties)
        {
            if (value is not JsonObject obj)
            {
                errors.Add($"{path}: expected an object with properties");
                return;
            }
            if (sparse is null)
            {
                foreach (var required in schema["required"]?.AsArray() ?? [])
                    if (!obj.ContainsKey((string)required!))
                        errors.Add($"{path}: missing required property '{required}'");
            }
            else
            {
                foreach (var (name, _) in obj)
                    if (name != "id" && !sparse!.Contains(name))
                        errors.Add($"{path}: '{name}' returned although fields= did not ask for it");
            }
            foreach (var (name, child) in obj)
            {
                if (properties[name] is JsonNode propertySchema)
                    Check(child, propertySchema, $"{path}.{name}", errors, null);
                else if (schema["additionalProperties"] is JsonValue extra && !(bool)extra)
                    errors.Add($"{path}: undocumented property '{name}'");
                else if (schema["additionalProperties"] is JsonObject extraSchema)
                    Check(child, extraSchema, $"{path}.{name}", errors, null);
            }
        }
        else if (schema["additionalProperties"] is JsonObject mapSchema && value is JsonObject map)
        {
            foreach (var (name, child) in map)
                Check(child, mapSchema, $"{path}.{name}", errors, null);
        }
    }

    private static void CheckFormat(string value, string? format, string path, List<string> errors)
    {
        switch (format)
        {
            case null:
                break;
            case "uuid":
                if (!Guid.TryParseExact(value, "D", out _) || value != value.ToLowerInvariant())
                    errors.Add($"{path}: '{value}' is not a lowercase UUID");
                break;
            case "date-time":
                // The contract: RFC 3339 in UTC.
                if (!DateTimePattern().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    errors.Add($"{path}: '{value}' is not an RFC 3339 UTC timestamp");
                break;
            case "date":
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    errors.Add($"{path}: '{value}' is not a YYYY-MM-DD date");
                break;
            // iri: an absolute URI that may hold Unicode (RFC 3987), as the app's URL rule takes.
            case "uri" or "iri":
                if (!Uri.TryCreate(value, UriKind.Absolute, out _))
                    errors.Add($"{path}: '{value}' is not an absolute URI");
                break;
            case "int32" or "int64":
                break;
            default:
                throw new InvalidOperationException($"Unknown string format '{format}' at {path}.");
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")]
    private static partial Regex DateTimePattern();
}
