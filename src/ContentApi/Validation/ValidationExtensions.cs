using System.Reflection;
using FluentValidation;

namespace ContentApi.Validation;

public static class ValidationExtensions
{
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var parameter = factory.MethodInfo.GetParameters().First(p => p.ParameterType == typeof(T));
            var optional = new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.Nullable;
            var filter = new ValidationFilter<T>(factory.ApplicationServices.GetRequiredService<IValidator<T>>(), optional);
            return invocation => filter.InvokeAsync(invocation, next);
        }).ProducesValidationProblem();
}
