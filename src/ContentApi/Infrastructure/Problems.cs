using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Infrastructure;

/// <summary>RFC 9457 problems with the contract's stable <c>code</c>; every non-2xx answer goes through here or the exception handler.</summary>
public static class Problems
{
    public const string ValidationFailed = "validation_failed";
    public const string NotFoundCode = "not_found";
    public const string SlugTaken = "slug_taken";
    public const string VersionMismatchCode = "version_mismatch";
    public const string PreconditionRequiredCode = "precondition_required";
    public const string InUseCode = "in_use";
    public const string RateLimited = "rate_limited";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string Unavailable = "unavailable";
    public const string Conflict = "conflict";
    public const string InternalError = "internal_error";

    /// <summary>The code for a status when nothing more specific was said.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 or 422 => ValidationFailed,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFoundCode,
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => Conflict,
        412 => VersionMismatchCode,
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        428 => PreconditionRequiredCode,
        429 => RateLimited,
        431 => "headers_too_large",
        503 => Unavailable,
        _ when status >= 500 => InternalError,
        _ => "error",
    };

    public static string TypeFor(string code) => $"urn:contentapi:problem:{code}";

    private static string? TitleFor(int status) => status switch
    {
        404 => "Not found",
        405 => "Method not allowed",
        406 => "Not acceptable",
        415 => "Unsupported media type",
        _ => null,
    };

    /// <summary>What a routing 404 or 405 means; a write addressed by slug is told that writes take the id.</summary>
    private static string RoutingDetail(HttpContext http, int status)
    {
        var (method, path) = (http.Request.Method, http.Request.Path.Value ?? "");
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var bySlug = segments.Length >= 3 && segments[0] == "v1" && !Guid.TryParse(segments[2], out _) && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var detail = status == 405
            ? $"{method} is not allowed on {path}" + (http.Response.Headers.Allow is { Count: > 0 } allow ? $"; allowed: {allow}." : ".")
            : $"No route for {method} {path}.";
        return bySlug ? detail + " Writes address a resource by its id (a uuid), not its slug." : detail;
    }

    /// <summary>
    /// A 415 from routing: what was sent and what the operation at this method and path accepts. Routing answers with
    /// its own 415 endpoint, which carries none of the rejected endpoints' metadata, so their Accepts are looked up.
    /// </summary>
    public static string MediaTypeDetail(HttpRequest request)
    {
        var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type {request.ContentType}";
        var accepted = AcceptedMediaTypes(request);
        if (accepted.Count == 0)
            accepted = HttpMethods.IsPatch(request.Method) ? ["application/merge-patch+json"] : ["application/json"];
        var patch = HttpMethods.IsPatch(request.Method) ? " (a JSON Merge Patch, RFC 7396)" : "";
        return $"{request.Method} {request.Path} takes Content-Type: {string.Join(" or ", accepted)}{patch}; the request had {sent}.";
    }

    private static List<string> AcceptedMediaTypes(HttpRequest request)
    {
        if (request.HttpContext.RequestServices.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource)) is not Microsoft.AspNetCore.Routing.EndpointDataSource source)
            return [];
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) == true)
            .Where(e => new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(new Microsoft.AspNetCore.Routing.Template.RouteTemplate(e.RoutePattern), [])
                .TryMatch(request.Path, []))
            .SelectMany(e => e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().SelectMany(a => a.ContentTypes))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public static ProblemHttpResult NotFound(string resource, string key) =>
        Make(404, NotFoundCode, "Not found", $"No {resource} '{key}'.");

    public const string PreconditionRequiredDetail = "Send If-Match with the ETag you last read; writes without it could overwrite someone else's change.";

    public static ProblemHttpResult PreconditionRequired() =>
        Make(428, PreconditionRequiredCode, "Precondition required", PreconditionRequiredDetail);

    public static ProblemHttpResult VersionMismatch(int currentVersion) =>
        Make(412, VersionMismatchCode, "Version mismatch",
            $"The resource has changed since you read it (current version {currentVersion}). Fetch it again and retry.",
            new() { ["currentVersion"] = currentVersion });

    public static ProblemHttpResult InUse(string resource, IReadOnlyList<Usage> users) =>
        Make(409, InUseCode, "In use",
            $"The {resource} is still used by " + string.Join(", ", users.Select(u => $"{u.Type} {u.Id}")) + ".",
            new() { ["usedBy"] = users });

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, int status = 400, string? detail = null) =>
        Make(status, ValidationFailed, status == 422 ? "Unprocessable content" : "Validation failed",
            detail ?? "The request has invalid fields; see errors.", new() { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string message, int status = 400) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, status, message);

    public static ProblemHttpResult Make(int status, string code, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypeFor(code), extensions: extensions);
    }

    /// <summary>Adds <c>code</c>, <c>type</c> and <c>traceId</c> to every problem, including framework-made ones.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var code) || code is not string)
        {
            code = CodeFor(status);
            problem.Extensions["code"] = code;
            // Framework-made (routing, status code pages): the same title as the resources' own problems of the code.
            if (TitleFor(status) is { } title)
                problem.Title = title;
            if (status is 404 or 405 && context.HttpContext.GetEndpoint() is null or { DisplayName: "405 HTTP Method Not Supported" })
                problem.Detail ??= RoutingDetail(context.HttpContext, status);
            if (status == 415)
                problem.Detail ??= MediaTypeDetail(context.HttpContext.Request);
        }
        if (problem.Type is null || !problem.Type.StartsWith("urn:", StringComparison.Ordinal))
            problem.Type = TypeFor((string)code!);
        problem.Detail ??= problem.Title;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        // Never echo framework exception text: it can carry internals.
        problem.Extensions.Remove("exception");
    }
}
