namespace ContentApi.Hosting;

/// <summary>HEAD is GET without the body (RFC 9110 9.3.2), for every GET route: same headers, same validators.</summary>
public static class HeadAsGetMiddleware
{
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (HttpMethods.IsHead(http.Request.Method))
        {
            http.Request.Method = HttpMethods.Get;
            http.Response.Body = Stream.Null;
        }
        return next(http);
    });
}
