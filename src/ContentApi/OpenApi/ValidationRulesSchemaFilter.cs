using FluentValidation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Bounds, lengths, patterns and enums of every contract's properties, read from its registered validator.</summary>
public sealed class ValidationRulesSchemaFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || concrete.Properties is null || context.MemberInfo is not null) return;
        if (services.GetService(typeof(IValidator<>).MakeGenericType(context.Type)) is not IValidator validator) return;
        foreach (var property in context.Type.GetProperties())
        {
            var name = context.SchemaRepository is null ? property.Name : JsonName(property.Name);
            if (concrete.Properties.TryGetValue(name, out var p) && p is OpenApiSchema target)
                ValidationRules.Apply(target, ValidationRules.For(validator, property.Name));
        }
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
