using System.Security.Claims;
using ContentApi.Writes;

namespace ContentApi.Auth;

public static class ActorExtensions
{
    /// <summary>The API key behind a request, as its revisions name it: the key's id and name, never the key.</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier), user.FindFirstValue(ClaimTypes.Name) ?? "anonymous");
}
