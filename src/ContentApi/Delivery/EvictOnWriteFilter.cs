using Microsoft.AspNetCore.OutputCaching;

namespace ContentApi.Delivery;

/// <summary>After a successful write, drops every cached reader response: includes make any write able to change any page.</summary>
public sealed class EvictOnWriteFilter(IOutputCacheStore store, ScheduledReleases releases) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
        {
            await store.EvictByTagAsync(ReaderOutputCachePolicy.ContentTag, CancellationToken.None);
            releases.Poke();
        }
        return result;
    }
}
