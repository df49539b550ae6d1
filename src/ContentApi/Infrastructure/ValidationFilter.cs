using System.Text;
using FluentValidation;

namespace ContentApi.Infrastructure;

/// <summary>Runs the FluentValidation validator for the endpoint's <typeparamref name="T"/> argument (body or [AsParameters] query).</summary>
public sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
            return Problems.Validation("", "A request body is required.");

        var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
        if (result.IsValid)
            return await next(context);

        return Problems.Validation(ValidationErrors.From(result));
    }
}

public static class ValidationErrors
{
    public static Dictionary<string, string[]> From(FluentValidation.Results.ValidationResult result) =>
        result.Errors
            .GroupBy(e => JsonPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    /// <summary>"Body[3].Text" becomes "body[3].text": errors are keyed by the JSON names clients sent.</summary>
    public static string JsonPath(string propertyName)
    {
        var sb = new StringBuilder(propertyName.Length);
        var startOfSegment = true;
        foreach (var c in propertyName)
        {
            sb.Append(startOfSegment ? char.ToLowerInvariant(c) : c);
            startOfSegment = c is '.';
        }
        return sb.ToString();
    }
}

public static class ValidationExtensions
{
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
