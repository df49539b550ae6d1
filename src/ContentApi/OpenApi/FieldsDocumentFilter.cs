using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// With fields= a GET answers only the named top-level fields (and id), so the full schema's required list does not
/// hold. Each GET that takes fields answers anyOf [the full schema, "{Name}Fields"], where the Fields schema has the
/// same properties and requires only id (nothing when it has no id); for a page, its items are.
/// </summary>
public sealed class FieldsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.Parameters?.Any(p => p.Name == "fields" && p.In == ParameterLocation.Query) != true) continue;
            if (operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content?.TryGetValue("application/json", out var m) != true || m is not OpenApiMediaType media) continue;
            if (Target(media.Schema) is not { } target || schemas[target] is not OpenApiSchema full) continue;
            var partial = Partial(document, schemas, target, full);
            if (partial is null) continue;
            media.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"{target}, or with fields= only the fields named (and id).",
                Examples = full.Examples?.Take(1).Select(e => e.DeepClone()).ToList(),
                AnyOf = [new OpenApiSchemaReference(target, document), new OpenApiSchemaReference(partial, document)],
            };
        }
    }

    private static string? Target(IOpenApiSchema? schema) => schema switch
    {
        OpenApiSchemaReference r => r.Reference.Id,
        OpenApiSchema { AllOf: [OpenApiSchemaReference r] } => r.Reference.Id,
        _ => null,
    };

    private static string? Partial(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas, string target, OpenApiSchema full)
    {
        var name = target + "Fields";
        if (schemas.ContainsKey(name)) return name;
        var copy = (OpenApiSchema)full.CreateShallowCopy();
        copy.Examples = null;
        // A page: its items are what fields= trims.
        if (full.Properties?.TryGetValue("items", out var items) == true && full.Properties.ContainsKey("nextCursor"))
        {
            if (items is not OpenApiSchema { Items: var item } || Target(item) is not { } itemName || schemas[itemName] is not OpenApiSchema itemSchema)
                return null;
            var itemPartial = Partial(document, schemas, itemName, itemSchema);
            if (itemPartial is null) return null;
            copy.Properties = new Dictionary<string, IOpenApiSchema>(full.Properties)
            {
                ["items"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "This page's items with only the fields named (and id).",
                    Items = new OpenApiSchemaReference(itemPartial, document),
                },
            };
        }
        else
            copy.Required = full.Properties?.ContainsKey("id") == true ? new HashSet<string> { "id" } : new HashSet<string>();
        copy.Description = $"{target} with only the fields named in fields= (and id).";
        schemas[name] = copy;
        return name;
    }
}
