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
        foreach (var path in document.Paths.Values)
        foreach (var operation in path.Operations!.Values)
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse concrete || concrete.Content is null || !concrete.Content.ContainsKey(MediaType))
                continue;
            concrete.Content[MediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("Problem", document) };
            if (Meanings.TryGetValue(status, out var meaning))
                concrete.Description = meaning;
        }
        schemas.Remove("ProblemDetails");
        schemas.Remove("HttpValidationProblemDetails");
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Every non-2xx answer has this shape.",
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
        if (schema is OpenApiSchema concrete && Examples.Value.TryGetValue(context.Type, out var example))
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
