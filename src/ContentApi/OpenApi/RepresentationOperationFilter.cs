using ContentApi.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

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
                Name = "fields",
                In = ParameterLocation.Query,
                Description = "Comma-separated top-level fields to return (id is always returned), e.g. title,slug,publishedAt.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
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
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IfMatchMetadata>().FirstOrDefault() is { } ifMatch)
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IfMatch.Header,
                In = ParameterLocation.Header,
                Required = ifMatch.Required,
                Description = ifMatch.Required
                    ? "The ETag you last read, e.g. \"3\" (428 without it, 412 when stale)."
                    : "Optional: the ETag you last read, e.g. \"3\" (412 when stale).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });

        // Every GET answers If-None-Match (Delivery/RepresentationFilter): a bodiless 304 when the ETag still matches.
        if (method == "GET" && operation.Responses is { } responses && !responses.ContainsKey("304"))
            responses["304"] = new OpenApiResponse
            {
                Description = "Not Modified: the If-None-Match ETag is still current; no body.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["ETag"] = new OpenApiHeader { Description = "The current ETag (the one you sent).", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };

        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse ok || status is not ("200" or "201")) continue;
            ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
            ok.Headers["ETag"] = new OpenApiHeader { Description = "Strong validator of this representation.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            if (method == "GET")
                ok.Headers["Last-Modified"] = new OpenApiHeader { Description = "When the newest row in the response last changed.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            if (status == "201")
                ok.Headers["Location"] = new OpenApiHeader { Description = "URL of the new resource, relative to the server (/v1/quotes/{id}).", Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" } };
            if (context.ApiDescription.RelativePath?.Count(c => c == '/') == 1 && method == "GET")
                ok.Headers["Link"] = new OpenApiHeader { Description = "<url>; rel=\"next\" when there is a next page.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }
}
