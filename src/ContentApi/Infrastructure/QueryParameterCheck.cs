namespace ContentApi.Infrastructure;

/// <summary>Rejects query parameters an endpoint does not declare: a typo in a filter must not silently widen a list.</summary>
public static class QueryParameterCheck
{
    public static TBuilder RejectUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var known = factory.MethodInfo.GetParameters()
                .SelectMany(p => p.GetCustomAttributes(typeof(AsParametersAttribute), false).Length > 0
                    ? p.ParameterType.GetProperties().Select(prop => prop.Name)
                    : [p.Name!])
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            known.Add("fields");
            return invocation =>
            {
                foreach (var key in invocation.HttpContext.Request.Query.Keys)
                    if (!known.Contains(key))
                        return ValueTask.FromResult<object?>(Problems.Validation(key, $"Unknown query parameter '{key}'."));
                return next(invocation);
            };
        });
        return builder;
    }
}
