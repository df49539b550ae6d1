using FluentValidation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Bounds, lengths, patterns and enums of query parameters bound from an [AsParameters] type, read from its validator.</summary>
public sealed class ValidationRulesOperationFilter(IServiceProvider services) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var description in context.ApiDescription.ParameterDescriptions)
        {
            if (description.ModelMetadata?.ContainerType is not { } container || description.ModelMetadata.PropertyName is not { } member) continue;
            if (services.GetService(typeof(IValidator<>).MakeGenericType(container)) is not IValidator validator) continue;
            var parameter = operation.Parameters?.OfType<OpenApiParameter>()
                .FirstOrDefault(p => string.Equals(p.Name, description.Name, StringComparison.OrdinalIgnoreCase));
            if (parameter?.Schema is OpenApiSchema schema)
                ValidationRules.Apply(schema, ValidationRules.For(validator, member));
        }
    }
}
