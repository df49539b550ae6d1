using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// A merge-patch body (application/merge-patch+json) is not the full request: every field is optional, and a field
/// that the full request may leave out is cleared by null. Each such body gets its own schema, "{Name}Patch", made
/// from the request schema it merges into, so generated clients can send a partial patch and a null.
/// </summary>
public sealed class MergePatchDocumentFilter : IDocumentFilter
{
    public const string MediaType = "application/merge-patch+json";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.RequestBody?.Content is not { } content || !content.TryGetValue(MediaType, out var m) || m is not OpenApiMediaType media) continue;
            var target = media.Schema switch
            {
                OpenApiSchemaReference r => r.Reference.Id,
                OpenApiSchema { AllOf: [OpenApiSchemaReference r] } => r.Reference.Id,
                _ => null,
            };
            if (target is null || schemas[target] is not OpenApiSchema full) continue;
            var name = (target.EndsWith("Request", StringComparison.Ordinal) ? target[..^"Request".Length] : target) + "Patch";
            if (!schemas.ContainsKey(name))
                schemas[name] = Patch(full, target);
            media.Schema = new OpenApiSchemaReference(name, document);
            media.Example = null;
        }
    }

    private static OpenApiSchema Patch(OpenApiSchema full, string target)
    {
        var required = full.Required ?? new HashSet<string>();
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, property) in full.Properties ?? new Dictionary<string, IOpenApiSchema>())
            properties[name] = required.Contains(name) ? property : Nullable(property);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"A JSON Merge Patch (RFC 7396) of {target}: send only the fields to change. null clears an optional field; required fields cannot be cleared.",
            Properties = properties,
            AdditionalProperties = full.AdditionalProperties,
            AdditionalPropertiesAllowed = full.AdditionalPropertiesAllowed,
            Examples = (full.Examples ?? []).Take(1).Select(Example).ToList(),
        };
    }

    /// <summary>The property as it is, or null to clear it (a default means nothing in a patch).</summary>
    private static IOpenApiSchema Nullable(IOpenApiSchema property)
    {
        switch (property)
        {
            case OpenApiSchemaReference reference:
                return new OpenApiSchema { OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] };
            case OpenApiSchema { OneOf: { } oneOf } s when oneOf.Any(o => o is OpenApiSchema { Type: JsonSchemaType.Null }):
                return s;
            case OpenApiSchema { AllOf: [OpenApiSchemaReference reference] } s:
                return new OpenApiSchema { Description = s.Description, OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] };
            case OpenApiSchema s:
                var copy = (OpenApiSchema)s.CreateShallowCopy();
                copy.Default = null;
                if (copy.Type is { } type) copy.Type = type | JsonSchemaType.Null;
                if (copy.Enum is { Count: > 0 } values && values.All(v => v is not null)) copy.Enum = [.. values, null!];
                return copy;
            default:
                return property;
        }
    }

    // A patch that changes one field and clears another, from the full example's fields.
    private static JsonNode Example(JsonNode full)
    {
        var patch = new JsonObject();
        if (full is JsonObject o)
            foreach (var (k, v) in o)
            {
                if (patch.Count == 0 && v is JsonValue) patch[k] = v.DeepClone();
                else if (patch.Count == 1 && v is null) { patch[k] = null; break; }
            }
        return patch;
    }
}
