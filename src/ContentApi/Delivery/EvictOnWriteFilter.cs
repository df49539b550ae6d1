using ContentApi.Writes;

namespace ContentApi.Delivery;

/// <summary>
/// After a successful write, drops every cached reader response, on every node: includes make any write able to change
/// any page. A route with <see cref="EvictOnStatus"/> evicts only on the statuses it names.
/// </summary>
public sealed class EvictOnWriteFilter(ContentEvictions evictions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var notice = CommitNotice.Current = evictions.Notice();
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IStatusCodeHttpResult { StatusCode: int status and >= 200 and < 300 } && Evicts(context.HttpContext, status))
            await evictions.AfterWriteAsync(notice.Sent);
        return result;
    }

    private static bool Evicts(HttpContext http, int status) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EvictOnStatus>() is not { } only || only.Statuses.Contains(status);
}
