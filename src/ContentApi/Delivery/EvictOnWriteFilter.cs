namespace ContentApi.Delivery;

/// <summary>After a successful write, drops every cached reader response, on every node: includes make any write able to change any page.</summary>
public sealed class EvictOnWriteFilter(ContentEvictions evictions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
            await evictions.AfterWriteAsync();
        return result;
    }
}
