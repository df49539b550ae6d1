using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ContentApi.Infrastructure;
using ContentApi.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ContentApi.Auth;

/// <summary>
/// Authenticates "Authorization: Bearer &lt;api key&gt;": the bootstrap admin key from configuration, or a stored key
/// looked up by its SHA-256 hash (through <see cref="ApiKeyCache"/>). Without the header the request stays
/// unauthenticated, and the read policy lets it through as an anonymous reader while Auth:AllowAnonymousReads is on.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AuthOptions> auth, ApiKeyCache keys, FailedAuthentications failures, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Throttled = "ContentApi.Auth.Throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
            return AuthenticateResult.Fail("Use Authorization: Bearer <api key>.");
        var key = header["Bearer ".Length..].Trim();

        var bootstrap = auth.Value.BootstrapAdminKey;
        if (!string.IsNullOrEmpty(bootstrap) && FixedTimeEquals(key, bootstrap))
            return Success("bootstrap", Roles.Admin, "bootstrap");
        // A cached or lately valid key is never held up; anything else is counted per client before it may cost a lookup.
        var cached = keys.TryGetCached(key, out var found);
        if (found is { } known)
            return Success(known.Id.ToString(), Wire<KeyRole>.Name(known.Role), known.Name);
        var client = FailedAuthentications.ClientOf(Context);
        if (failures.IsOverBudget(client) && !keys.WasRecentlyValid(key))
        {
            Context.Items[Throttled] = failures.RetryAfterSeconds;
            return AuthenticateResult.Fail("Too many failed authentications from this client.");
        }
        if (!cached && await keys.FindAsync(key, Context.RequestAborted) is { } looked)
            return Success(looked.Id.ToString(), Wire<KeyRole>.Name(looked.Role), looked.Name);
        failures.Failed(client);
        return AuthenticateResult.Fail("Unknown or revoked API key.");
    }

    private AuthenticateResult Success(string keyId, string role, string name)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, keyId), new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.Name, name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[Throttled] is int retryAfter)
        {
            Response.StatusCode = 429;
            Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Too many failed authentications from this client; retry after {retryAfter} s.", Extensions = { ["code"] = Problems.RateLimited } },
            });
            return;
        }
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = "Send a valid API key as Authorization: Bearer <key>.", Extensions = { ["code"] = Problems.Unauthorized } },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "Your API key's role does not allow this.", Extensions = { ["code"] = Problems.Forbidden } },
        });
    }
}

public static class AuthExtensions
{
    /// <summary>Editors and admins see drafts; everybody else reads as a reader.</summary>
    public static Audience Audience(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Editor) || user.IsInRole(Roles.Admin) ? Infrastructure.Audience.Editor : Infrastructure.Audience.Reader;

    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration("Auth").ValidateOnStart();
        services.AddOptions<FailedAuthOptions>().BindConfiguration("Auth:Failures").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailedAuthentications>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.AddRequirements(new ReadRequirement()))
            .AddPolicy(Policies.Write, p => p.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        services.AddSingleton<IAuthorizationHandler, ReadRequirementHandler>();
        return services;
    }
}

public sealed class ReadRequirement : IAuthorizationRequirement;

/// <summary>Reads need any valid key, or no key at all while anonymous reads are on. A bad key is never read as anonymous.</summary>
public sealed class ReadRequirementHandler(IOptions<AuthOptions> auth) : AuthorizationHandler<ReadRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadRequirement requirement)
    {
        var sentKey = context.Resource is HttpContext http && http.Request.Headers.Authorization.Count > 0;
        if (context.User.Identity?.IsAuthenticated == true || (!sentKey && auth.Value.AllowAnonymousReads))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
