using System.Text.Json.Nodes;
using ContentApi.Articles;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Samples;
using ContentApi.Sources;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.Infrastructure;

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
        ["415"] = "Wrong Content-Type (code unsupported_media_type).",
        ["422"] = "A reference to something that does not exist (code validation_failed; errors names the field).",
        ["428"] = "If-Match is required (code precondition_required).",
        ["429"] = "Rate limit reached (code rate_limited); Retry-After says when to retry.",
        ["500"] = "Unexpected error (code internal_error); traceId identifies it in the logs.",
        ["503"] = "The database is unreachable (code unavailable); Retry-After says when to retry.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        schemas["Problem"] = ProblemSchema();
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
            415 => ("unsupported_media_type", "Unsupported media type", "Send application/json (application/merge-patch+json for PATCH)."),
            422 => (Problems.ValidationFailed, "Unprocessable content", "speakerId refers to something that does not exist."),
            428 => (Problems.PreconditionRequiredCode, "Precondition required", "Send If-Match with the ETag you last read; writes without it could overwrite someone else's change."),
            429 => (Problems.RateLimited, "Too many requests", "Rate limit reached; retry after the number of seconds in Retry-After."),
            503 => (Problems.Unavailable, "Service unavailable", "The database is unreachable; retry shortly."),
            _ => (Problems.InternalError, "Internal error", "Something went wrong on our side; the traceId identifies it in our logs."),
        };
        var example = new JsonObject
        {
            ["type"] = Problems.TypeFor(code), ["title"] = title, ["status"] = status, ["detail"] = detail, ["code"] = code,
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
                Description = "Stable machine-readable code.",
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

/// <summary>Parameters and headers every GET shares, which handlers do not bind themselves.</summary>
public sealed class RepresentationOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var method = context.ApiDescription.HttpMethod;
        operation.Parameters ??= [];
        if (method == "GET")
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "fields", In = ParameterLocation.Query,
                Description = "Comma-separated top-level fields to return (id is always returned), e.g. title,slug,publishedAt.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match", In = ParameterLocation.Header,
                Description = "An ETag you hold; 304 Not Modified with no body when it is still current.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        // DescribeAllParametersInCamelCase also renames headers ("if-Match"); header names keep their HTTP spelling.
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Header))
        {
            var declared = context.ApiDescription.ParameterDescriptions
                .FirstOrDefault(d => string.Equals(d.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (declared is not null) parameter.Name = declared.Name;
        }
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.Name == "If-Match"))
            parameter.Description = "The ETag you last read, e.g. \"3\". Required for PUT, PATCH and DELETE (428 without it, 412 when stale).";

        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse ok || status is not ("200" or "201")) continue;
            ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
            ok.Headers["ETag"] = new OpenApiHeader { Description = "Strong validator of this representation.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            if (method == "GET")
                ok.Headers["Last-Modified"] = new OpenApiHeader { Description = "When the newest row in the response last changed.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            if (status == "201")
                ok.Headers["Location"] = new OpenApiHeader { Description = "URL of the new resource.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" } };
            if (context.ApiDescription.RelativePath?.Count(c => c == '/') == 1 && method == "GET")
                ok.Headers["Link"] = new OpenApiHeader { Description = "<url>; rel=\"next\" when there is a next page.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }
}

/// <summary>Examples for every request and response schema, drawn from the sample story (db/samples/korut-rusia.json).</summary>
public sealed class SampleExampleSchemaFilter : ISchemaFilter
{
    private static readonly Lazy<Dictionary<Type, JsonNode>> Examples = new(Build);

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        // Only the type's own schema: a property that refers to it (allOf wrapper) would otherwise repeat the example.
        if (schema is OpenApiSchema concrete && context.MemberInfo is null && Examples.Value.TryGetValue(context.Type, out var example))
            concrete.Examples = [example.DeepClone()];
    }

    private static Dictionary<Type, JsonNode> Build()
    {
        var sample = SampleLoader.ReadSample();
        var ids = new Dictionary<string, string>
        {
            ["jake-sullivan"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a01",
            ["afp"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a02",
            ["sullivan"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03",
            ["article"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a04",
            ["kamala-harris"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a05",
            ["reuters"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a06",
        };
        JsonObject Meta(string id, JsonObject o)
        {
            var result = new JsonObject { ["id"] = id };
            foreach (var (k, v) in o) result[k] = v?.DeepClone();
            result["version"] = 1;
            result["createdAt"] = "2023-09-08T02:41:07Z";
            result["updatedAt"] = "2023-09-08T02:41:07Z";
            return result;
        }

        var person = sample["people"]!.AsArray().First(p => (string)p!["slug"]! == "jake-sullivan")!.AsObject().DeepClone().AsObject();
        foreach (var k in new[] { "description", "wikidataId", "imageUrl" }) person.TryAdd(k, null);
        var source = sample["sources"]!.AsArray().First(s => (string)s!["slug"]! == "afp")!.AsObject().DeepClone().AsObject();
        var quoteNode = sample["quotes"]!.AsArray().First(q => (string)q!["key"]! == "sullivan")!.AsObject();
        var quote = new JsonObject
        {
            ["text"] = quoteNode["text"]!.DeepClone(), ["language"] = "id", ["type"] = "direct",
            ["speakerId"] = ids["jake-sullivan"], ["speakerRole"] = quoteNode["speakerRole"]!.DeepClone(),
            ["saidOn"] = quoteNode["saidOn"]!.DeepClone(), ["occasion"] = quoteNode["occasion"]!.DeepClone(),
            ["sourceId"] = ids["afp"], ["sourceUrl"] = null, ["translationOfId"] = null,
            ["articleIds"] = new JsonArray(ids["article"]),
        };
        var a = sample["article"]!.AsObject();
        var body = a["body"]!.AsArray();
        var article = new JsonObject
        {
            ["slug"] = a["slug"]!.DeepClone(), ["title"] = a["title"]!.DeepClone(), ["summary"] = a["summary"]!.DeepClone(),
            ["language"] = "id", ["status"] = "published", ["publishedAt"] = a["publishedAt"]!.DeepClone(),
            ["section"] = a["section"]!.DeepClone(), ["tags"] = a["tags"]!.DeepClone(), ["byline"] = null, ["heroImage"] = null,
            ["body"] = new JsonArray(
                body[9]!.DeepClone(), body[10]!.DeepClone(), body[11]!.DeepClone(),
                new JsonObject { ["type"] = "quote", ["quoteId"] = ids["sullivan"] },
                body[14]!.DeepClone(), body[7]!.DeepClone()),
            ["people"] = new JsonArray(
                new JsonObject { ["personId"] = ids["jake-sullivan"], ["role"] = "mentioned" },
                new JsonObject { ["personId"] = ids["kamala-harris"], ["role"] = "mentioned" }),
            ["sources"] = new JsonArray(
                new JsonObject { ["sourceId"] = ids["afp"], ["relation"] = "reported-via" },
                new JsonObject { ["sourceId"] = ids["reuters"], ["relation"] = "reported-via" }),
            ["quoteIds"] = new JsonArray(ids["sullivan"]),
        };

        var personResponse = Meta(ids["jake-sullivan"], person);
        var sourceResponse = Meta(ids["afp"], source);
        var quoteResponse = Meta(ids["sullivan"], quote);
        var articleResponse = Meta(ids["article"], article);
        JsonObject Page(JsonObject item) => new() { ["items"] = new JsonArray(item.DeepClone()), ["nextCursor"] = null };
        var key = new JsonObject
        {
            ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a08", ["name"] = "ios-app", ["role"] = "reader", ["prefix"] = "cak_Xb3k",
            ["createdAt"] = "2023-09-08T02:41:07Z", ["revokedAt"] = null,
        };
        var change = new JsonObject
        {
            ["type"] = "person", ["id"] = ids["jake-sullivan"], ["op"] = "upsert", ["version"] = 1, ["data"] = personResponse.DeepClone(),
        };

        return new Dictionary<Type, JsonNode>
        {
            [typeof(PersonRequest)] = person,
            [typeof(PersonResponse)] = personResponse,
            [typeof(Page<PersonResponse>)] = Page(personResponse),
            [typeof(SourceRequest)] = source,
            [typeof(SourceResponse)] = sourceResponse,
            [typeof(Page<SourceResponse>)] = Page(sourceResponse),
            [typeof(QuoteRequest)] = quote,
            [typeof(QuoteResponse)] = quoteResponse,
            [typeof(Page<QuoteResponse>)] = Page(quoteResponse),
            [typeof(ArticleRequest)] = article,
            [typeof(ArticleResponse)] = articleResponse,
            [typeof(Page<ArticleResponse>)] = Page(articleResponse),
            [typeof(PublishRequest)] = new JsonObject { ["publishedAt"] = "2023-09-08T03:00:00Z" },
            [typeof(Keys.KeyRequest)] = new JsonObject { ["name"] = "ios-app", ["role"] = "reader" },
            [typeof(Keys.KeyResponse)] = key,
            [typeof(Keys.KeyListResponse)] = new JsonObject { ["items"] = new JsonArray(key.DeepClone()), ["nextCursor"] = null },
            [typeof(Keys.CreatedKeyResponse)] = new JsonObject
            {
                ["id"] = key["id"]!.DeepClone(), ["name"] = "ios-app", ["role"] = "reader",
                ["key"] = "cak_Xb3kq9TtVQmE2rJ0aW5yN8cLhP4sD7fGuZ1oB6iR-eM", ["createdAt"] = "2023-09-08T02:41:07Z",
            },
            [typeof(Sync.SyncItem)] = change,
            [typeof(Sync.SyncPage)] = new JsonObject
            {
                ["items"] = new JsonArray(change.DeepClone(),
                    new JsonObject { ["type"] = "quote", ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a07", ["op"] = "delete", ["version"] = 4 }),
                ["nextToken"] = "eyJUeCI6IjcyNyIsIlNlcSI6MiwiQXQiOiIyMDIzLTA5LTA4VDAzOjAwOjAwWiJ9.kGCutxfU80IuN8FVQGYTLw",
                ["hasMore"] = false,
            },
        };
    }
}

/// <summary>
/// Body blocks as a plain tagged union: each block schema is self-contained (its own "type" constant) and BodyBlock is
/// oneOf them with a discriminator mapping, so strict validators and client generators read it the same way.
/// </summary>
public sealed class BodyBlockDocumentFilter : IDocumentFilter
{
    private static readonly (string Tag, string Schema)[] Blocks =
        [("paragraph", "ParagraphBlock"), ("heading", "HeadingBlock"), ("quote", "QuoteBlock"), ("image", "ImageBlock"), ("embed", "EmbedBlock")];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var (tag, name) in Blocks)
        {
            if (schemas[name] is not OpenApiSchema block) continue;
            block.AllOf = null;
            block.Properties ??= new Dictionary<string, IOpenApiSchema>();
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(tag)!], Description = $"Always \"{tag}\"." },
            };
            foreach (var (k, v) in block.Properties) properties[k] = v;
            block.Properties = properties;
            block.Required ??= new HashSet<string>();
            block.Required.Add("type");
        }
        schemas["BodyBlock"] = new OpenApiSchema
        {
            Description = "One block of an article body, told apart by type. Clients render blocks natively; unknown types are rejected.",
            OneOf = Blocks.Select(b => (IOpenApiSchema)new OpenApiSchemaReference(b.Schema, document)).ToList(),
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "type",
                Mapping = Blocks.ToDictionary(b => b.Tag, b => new OpenApiSchemaReference(b.Schema, document)),
            },
        };
        foreach (var name in new[] { "ArticleRequest", "ArticleResponse" })
            if (schemas[name] is OpenApiSchema article && article.Properties!["body"] is OpenApiSchema body)
                body.Items = new OpenApiSchemaReference("BodyBlock", document);
    }
}

/// <summary>
/// Reads take {idOrSlug} and writes take {id:guid}, which OpenAPI counts as the same path template twice (validators
/// reject the document; some generators drop one). The writes move under the {idOrSlug} path; each operation keeps
/// its own parameter schema, so writes still say the value is a UUID.
/// </summary>
public sealed partial class EquivalentPathsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var group in document.Paths.Keys.GroupBy(Shape).Where(g => g.Count() > 1).ToList())
        {
            var target = group.OrderByDescending(p => p.Contains("{idOrSlug}", StringComparison.Ordinal)).First();
            if (document.Paths[target] is not OpenApiPathItem into) continue;
            into.Operations ??= [];
            foreach (var other in group.Where(p => p != target))
            {
                if (document.Paths[other] is not OpenApiPathItem from) continue;
                var renames = Names(other).Zip(Names(target)).Where(p => p.First != p.Second).ToDictionary(p => p.First, p => p.Second);
                foreach (var (method, operation) in from.Operations ?? [])
                {
                    if (!into.Operations.TryAdd(method, operation))
                        throw new InvalidOperationException($"{method} is mapped on both {target} and {other}.");
                    foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                        if (parameter.In == ParameterLocation.Path && parameter.Name is { } name && renames.TryGetValue(name, out var renamed))
                            parameter.Name = renamed;
                }
                document.Paths.Remove(other);
            }
        }
    }

    private static string Shape(string path) => Template().Replace(path, "{}");

    private static IEnumerable<string> Names(string path) => Template().Matches(path).Select(m => m.Groups[1].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([^}]+)\}")]
    private static partial System.Text.RegularExpressions.Regex Template();
}

/// <summary>
/// Descriptions for what endpoints leave undocumented but the conventions fix: path parameters, include on single
/// reads (the same names as on the list), and the rules every write follows.
/// </summary>
public sealed class ConventionsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var (path, item) in document.Paths)
        {
            var noun = Noun(path);
            var collection = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(2));
            var listInclude = document.Paths.TryGetValue(collection, out var list) && list.Operations is { } ops
                && ops.TryGetValue(HttpMethod.Get, out var listOperation)
                ? listOperation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "include")?.Description
                : null;
            foreach (var (method, operation) in item.Operations ?? [])
            {
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => string.IsNullOrEmpty(p.Description)))
                {
                    parameter.Description = (parameter.In, parameter.Name) switch
                    {
                        (ParameterLocation.Path, _) when parameter.Schema?.Format == "uuid" => $"The {noun}'s id (a UUID).",
                        (ParameterLocation.Path, "idOrSlug") => $"The {noun}'s id (a UUID) or its slug.",
                        (ParameterLocation.Query, "include") => listInclude,
                        _ => null,
                    };
                }
                if (string.IsNullOrEmpty(operation.Description))
                    operation.Description = Describe(method, path == collection, noun);
            }
        }
    }

    private static string? Describe(HttpMethod method, bool onCollection, string noun) => method.Method switch
    {
        "POST" when onCollection => $"Creates {(noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {noun}. Answers 201 with the new {noun}, its Location and its ETag.",
        "PUT" => $"Replaces the whole {noun} with the body; optional fields you leave out are reset to their defaults. Send If-Match with the ETag you last read.",
        "PATCH" => $"Changes only the fields you send, as a JSON Merge Patch (RFC 7396, Content-Type application/merge-patch+json): null clears a field, fields you leave out stay as they are. Send If-Match with the ETag you last read.",
        "DELETE" => $"Deletes the {noun} and answers 204. Send If-Match with the ETag you last read.",
        "GET" when onCollection => $"A page of {noun} resources; follow nextCursor (or the Link header) for the next.",
        "GET" => $"One {noun}; send If-None-Match with its ETag to get 304 when it has not changed.",
        _ => null,
    };

    /// <summary>"/v1/people/{idOrSlug}" -> "person".</summary>
    public static string Noun(string path)
    {
        var segment = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "resource";
        return segment switch
        {
            "people" => "person",
            _ when segment.EndsWith('s') => segment[..^1],
            _ => segment,
        };
    }
}

/// <summary>Every list page says what its two fields mean, and that both are always there.</summary>
public sealed class PageSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema page || !context.Type.IsGenericType || context.Type.GetGenericTypeDefinition() != typeof(Page<>))
            return;
        page.Required = new HashSet<string> { "items", "nextCursor" };
        if (page.Properties is not { } properties) return;
        if (properties.TryGetValue("items", out var i) && i is OpenApiSchema items)
            items.Description = "This page's items, in the list's order (at most limit of them).";
        if (properties.TryGetValue("nextCursor", out var n) && n is OpenApiSchema next)
            next.Description = "Pass it back as cursor for the next page; null on the last page.";
    }
}

/// <summary>Tags in reading order, each with what its resource is; tags without a description here stay as they are.</summary>
public sealed class TagDocumentFilter : IDocumentFilter
{
    private static readonly (string Name, string Description)[] Known =
    [
        ("Articles", "Stories: title, summary and a body of typed blocks (paragraph, heading, quote, image, embed) that clients render natively, "
            + "linked to the people, sources and quotes they use. Readers see published articles only; drafts, scheduled and archived ones need an editor key."),
        ("Quotes", "Verbatim words, returned byte for byte, with who said them, their role at the time, when, where, and the source they were reported via."),
        ("People", "Who is quoted or mentioned: name, aliases, title, affiliation. q searches names and aliases and tolerates typos."),
        ("Sources", "Where reporting comes from: news agencies, newspapers, broadcasters, magazines, websites, governments and organizations."),
        ("Sync", "The mobile sync feed: every change since a token, across all four resource types, in order, with deletions as tombstones."),
        ("Keys", "API keys and their roles (reader, editor, admin); admins only."),
    ];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = document.Paths.Values
            .SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .ToHashSet();
        var tags = Known.Where(k => used.Contains(k.Name)).Select(k => new OpenApiTag { Name = k.Name, Description = k.Description })
            .Concat(used.Where(u => Known.All(k => k.Name != u)).Order(StringComparer.Ordinal).Select(u => new OpenApiTag { Name = u }));
        document.Tags = new HashSet<OpenApiTag>(tags);
    }
}

/// <summary>
/// A nullable property that refers to another schema is an allOf wrapper; OpenAPI 3.0.3 ignores nullable unless the
/// wrapper names its type too, so validators would reject the null in our own examples and generators drop "| null".
/// </summary>
public sealed class NullableReferenceDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in schemas.Values) Visit(schema, schemas, seen);
    }

    private static void Visit(IOpenApiSchema node, IDictionary<string, IOpenApiSchema> schemas, HashSet<OpenApiSchema> seen)
    {
        if (node is not OpenApiSchema schema || !seen.Add(schema)) return;
        if (schema.AllOf is [OpenApiSchemaReference reference] && schema.Type is JsonSchemaType.Null
            && reference.Reference.Id is { } id && schemas.TryGetValue(id, out var target) && target.Type is { } type)
            schema.Type = type | JsonSchemaType.Null;
        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
            Visit(child, schemas, seen);
        if (schema.Items is { } items) Visit(items, schemas, seen);
        if (schema.AdditionalProperties is { } additional) Visit(additional, schemas, seen);
    }
}

/// <summary>
/// Who may call each operation: reads work without a key (as an anonymous reader) unless the server turns that off,
/// so their key is optional ({} is an alternative); writes need an editor key, /v1/keys an admin key.
/// </summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var policies = context.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).ToList();
        if (policies.Count == 0) return;
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] };
        operation.Security = policies.Contains(Auth.Policies.Read) ? [new OpenApiSecurityRequirement(), bearer] : [bearer];
        var role = policies.Contains(Auth.Policies.Admin) ? "an admin key" : policies.Contains(Auth.Policies.Write) ? "an editor or admin key" : null;
        if (role is not null && operation.Description?.Contains("Needs ", StringComparison.Ordinal) != true)
            operation.Description = (operation.Description is { Length: > 0 } d ? d + " " : "") + $"Needs {role}.";
    }
}
