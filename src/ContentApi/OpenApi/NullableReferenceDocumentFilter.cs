using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// A nullable property that refers to another schema comes out as {type: [null, object], allOf: [$ref]}, and allOf
/// applies to the null too, so strict validators reject every null. It becomes oneOf [$ref, {type: null}] instead,
/// which JSON Schema validators and client generators (Kiota, NSwag, openapi-typescript) read as "X or null".
/// </summary>
public sealed class NullableReferenceDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
            Visit(schema, seen);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in operation.Parameters ?? [])
                if (parameter.Schema is { } s) Visit(s, seen);
            foreach (var media in (operation.RequestBody?.Content?.Values.AsEnumerable() ?? []).Concat((operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? [])))
                if (media.Schema is { } s) Visit(s, seen);
        }
    }

    public static void Visit(IOpenApiSchema node, HashSet<OpenApiSchema> seen)
    {
        if (node is not OpenApiSchema schema || !seen.Add(schema)) return;
        if (schema.AllOf is [OpenApiSchemaReference reference] && schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        {
            schema.AllOf = null;
            schema.Type = null;
            schema.OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }];
        }
        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
            Visit(child, seen);
        if (schema.Items is { } items) Visit(items, seen);
        if (schema.AdditionalProperties is { } additional) Visit(additional, seen);
    }
}
