using ContentApi.Auth;
using ContentApi.Infrastructure;

namespace ContentApi.Delivery;

public static class CacheHeaders
{
    /// <summary>Cache headers for GET answers: shared caches may keep what readers get; editors' answers stay private.</summary>
    public static void Set(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = http.User.Audience() == Audience.Reader
            ? "public, max-age=60, stale-while-revalidate=600"
            : "private, no-store";
        headers.Vary = "Authorization, Accept-Encoding";
    }
}
