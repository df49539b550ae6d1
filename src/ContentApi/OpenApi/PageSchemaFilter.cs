using ContentApi.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Every list page says what its two fields mean, and that both are always there.</summary>
public sealed class PageSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema page || !context.Type.IsGenericType || context.Type.GetGenericTypeDefinition() != typeof(Page<>))
            return;
        page.Required = new HashSet<string> { "items", "nextCursor" };
        if (page.Properties is not { } properties) return;
        if (properties.TryGetValue("items", out var i) && i is OpenApiSchema items)
            items.Description = "This page's items, in the list's order (at most limit of them).";
        if (properties.TryGetValue("nextCursor", out var n) && n is OpenApiSchema next)
            next.Description = "Pass it back as cursor for the next page; null on the last page.";
    }
}
