using System.Text.Json.Nodes;
using ContentApi.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>One Problem schema (RFC 9457 plus code, traceId, errors) for every problem response, with what each status means here.</summary>
public sealed class ProblemDocumentFilter : IDocumentFilter
{
    public const string MediaType = "application/problem+json";

    private static readonly Dictionary<string, string> Meanings = new()
    {
        ["400"] = "Invalid request (code validation_failed); errors names each field by JSON path.",
        ["401"] = "No valid API key (code unauthorized).",
        ["403"] = "The key's role does not allow this (code forbidden).",
        ["404"] = "No such resource, or not visible to you (code not_found).",
        ["409"] = "Slug taken (code slug_taken) or still in use (code in_use; usedBy names the users).",
        ["412"] = "If-Match is stale: someone changed the resource since you read it (code version_mismatch).",
        ["413"] = "Request body too large (code payload_too_large).",
        ["414"] = "Query string too long (code uri_too_long).",
        ["415"] = "Wrong Content-Type (code unsupported_media_type).",
        ["422"] = "A reference to something that does not exist (code validation_failed; errors names the field).",
        ["428"] = "If-Match is required (code precondition_required).",
        ["431"] = "Request headers too large or too many (code headers_too_large).",
        ["429"] = "Rate limit reached (code rate_limited); Retry-After says when to retry.",
        ["500"] = "Unexpected error (code internal_error); traceId identifies it in the logs.",
        ["503"] = "The database is unreachable (code unavailable); Retry-After says when to retry.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        schemas["Problem"] = ProblemSchema();
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            // Hosting/Hardening refuses an over-long query string or oversized headers before routing, whatever the operation.
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("414", new OpenApiResponse { Content = new Dictionary<string, IOpenApiMediaType> { [MediaType] = new OpenApiMediaType() } });
            operation.Responses.TryAdd("431", new OpenApiResponse { Content = new Dictionary<string, IOpenApiMediaType> { [MediaType] = new OpenApiMediaType() } });
        }
        foreach (var (path, item) in document.Paths)
            foreach (var operation in item.Operations!.Values)
                foreach (var (status, response) in operation.Responses!)
                {
                    if (response is not OpenApiResponse concrete || concrete.Content is null || !concrete.Content.ContainsKey(MediaType))
                        continue;
                    concrete.Content[MediaType] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchemaReference("Problem", document),
                        Example = int.TryParse(status, out var code) ? Example(code, ConventionsDocumentFilter.Noun(path)) : null,
                    };
                    if (Meanings.TryGetValue(status, out var meaning))
                        concrete.Description = meaning;
                }
        schemas.Remove("ProblemDetails");
        schemas.Remove("HttpValidationProblemDetails");
    }

    /// <summary>What the API answers with this status, as Swagger UI and mock servers show it.</summary>
    public static JsonObject Example(int status, string noun = "article")
    {
        var (code, title, detail) = status switch
        {
            400 => (Problems.ValidationFailed, "Validation failed", "The request has invalid fields; see errors."),
            401 => (Problems.Unauthorized, "Unauthorized", "Send a valid API key as Authorization: Bearer <key>."),
            403 => (Problems.Forbidden, "Forbidden", "Your API key's role does not allow this."),
            404 => (Problems.NotFoundCode, "Not found", $"No {noun} '0192f0a1-7c3e-7d10-9a51-2f6c0e8b1aff'."),
            409 => (Problems.SlugTaken, "Slug taken", "Another resource already uses this slug."),
            412 => (Problems.VersionMismatchCode, "Version mismatch", "The resource has changed since you read it (current version 3). Fetch it again and retry."),
            413 => ("payload_too_large", "Payload too large", "The request body is too large."),
            414 => ("uri_too_long", "URI too long", "Keep the query string under the server's limit."),
            431 => ("headers_too_large", "Request headers too large", "Keep the request headers under 32768 bytes in all."),
            415 => ("unsupported_media_type", "Unsupported media type", "Send application/json (application/merge-patch+json for PATCH)."),
            422 => (Problems.ValidationFailed, "Unprocessable content", "speakerId refers to something that does not exist."),
            428 => (Problems.PreconditionRequiredCode, "Precondition required", "Send If-Match with the ETag you last read; writes without it could overwrite someone else's change."),
            429 => (Problems.RateLimited, "Too many requests", "Rate limit reached; retry after the number of seconds in Retry-After."),
            503 => (Problems.Unavailable, "Service unavailable", "The database is unreachable; retry shortly."),
            _ => (Problems.InternalError, "Internal error", "Something went wrong on our side; the traceId identifies it in our logs."),
        };
        var example = new JsonObject
        {
            ["type"] = Problems.TypeFor(code),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
            ["traceId"] = "00-6c978de4ffe3324743681a2b4467be47-0968fd2f56eea063-00",
        };
        if (status == 400)
            example["errors"] = new JsonObject { ["body[3].text"] = new JsonArray("'Text' must not be empty.") };
        if (status == 409)
            example["errors"] = new JsonObject { ["slug"] = new JsonArray("This slug is taken.") };
        if (status == 422)
            example["errors"] = new JsonObject { ["speakerId"] = new JsonArray("Refers to something that does not exist.") };
        if (status == 412)
            example["currentVersion"] = 3;
        return example;
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Every non-2xx answer has this shape.",
        Examples = [Example(404)],
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "Problem type URI, urn:contentapi:problem:{code}." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Short summary of the problem type." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong this time, for people." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request path." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable machine-readable code: validation_failed (400/422: errors names each field), unauthorized (401), " +
                              "forbidden (403), not_found (404: no such resource or route), method_not_allowed (405), not_acceptable (406), " +
                              "slug_taken, in_use, conflict (409), version_mismatch (412), payload_too_large (413), uri_too_long (414), " +
                              "unsupported_media_type (415: detail names the media type to send), precondition_required (428), " +
                              "rate_limited (429), headers_too_large (431), internal_error (500), unavailable (503).",
                Enum = Codes.Select(c => (JsonNode)JsonValue.Create(c)!).ToList(),
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in the server's logs." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For validation_failed: messages per field, keyed by JSON path such as body[3].text.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["currentVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "For version_mismatch: the resource's current version." },
            ["usedBy"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "For in_use: what still refers to the resource.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "article or quote." },
                        ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "Its id." },
                    },
                },
            },
        },
    };

    public static readonly string[] Codes =
    [
        Problems.ValidationFailed, Problems.NotFoundCode, Problems.SlugTaken, Problems.VersionMismatchCode,
        Problems.PreconditionRequiredCode, Problems.InUseCode, Problems.RateLimited, Problems.Unauthorized, Problems.Forbidden,
        Problems.Unavailable, Problems.Conflict, Problems.InternalError, "payload_too_large", "unsupported_media_type", "method_not_allowed",
        "uri_too_long", "headers_too_large", "not_acceptable",
    ];
}
