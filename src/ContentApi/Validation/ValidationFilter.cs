using ContentApi.Infrastructure;
using FluentValidation;

namespace ContentApi.Validation;

/// <summary>
/// Runs the FluentValidation validator for the endpoint's <typeparamref name="T"/> argument (body or [AsParameters]
/// query). An absent body is a 400 unless the handler declares it optional (a nullable parameter).
/// </summary>
public sealed class ValidationFilter<T>(IValidator<T> validator, bool optional) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
            return optional ? await next(context) : Problems.Validation("", "A request body is required.");

        var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
        if (result.IsValid)
            return await next(context);

        return Problems.Validation(ValidationErrors.From(result));
    }
}
