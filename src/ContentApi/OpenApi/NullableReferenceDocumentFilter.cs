using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// A nullable property that refers to another schema is an allOf wrapper; OpenAPI 3.0.3 ignores nullable unless the
/// wrapper names its type too, so validators would reject the null in our own examples and generators drop "| null".
/// </summary>
public sealed class NullableReferenceDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in schemas.Values) Visit(schema, schemas, seen);
    }

    private static void Visit(IOpenApiSchema node, IDictionary<string, IOpenApiSchema> schemas, HashSet<OpenApiSchema> seen)
    {
        if (node is not OpenApiSchema schema || !seen.Add(schema)) return;
        if (schema.AllOf is [OpenApiSchemaReference reference] && schema.Type is JsonSchemaType.Null
            && reference.Reference.Id is { } id && schemas.TryGetValue(id, out var target) && target.Type is { } type)
            schema.Type = type | JsonSchemaType.Null;
        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
            Visit(child, schemas, seen);
        if (schema.Items is { } items) Visit(items, schemas, seen);
        if (schema.AdditionalProperties is { } additional) Visit(additional, schemas, seen);
    }
}
