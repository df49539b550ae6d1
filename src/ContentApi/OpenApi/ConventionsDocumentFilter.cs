using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

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
            var sampleSlug = SampleEntry(path, noun)?["slug"]?.GetValue<string>();
            var sampleId = SampleEntry(path, noun)?["id"]?.GetValue<string>();
            foreach (var (method, operation) in item.Operations ?? [])
            {
                // "Try it out" opens on the sample story's own resources (db/samples, loaded with these fixed ids),
                // which run.sh and the demo load: reads by slug where they take one, writes and id-only routes by id.
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>()
                    .Where(p => (p.In == ParameterLocation.Path || p is { In: ParameterLocation.Query, Name: "to" }) && p.Example is null))
                {
                    parameter.Example = (parameter.Name, parameter.Schema?.Format) switch
                    {
                        // The sample's resources have one version each: a diff of version 1 with itself.
                        ("version" or "to", _) => JsonValue.Create(1),
                        (_, null) when sampleSlug is not null => JsonValue.Create(sampleSlug),
                        ("id" or "idOrSlug", "uuid") when sampleId is not null => JsonValue.Create(sampleId),
                        _ => null,
                    };
                }
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => string.IsNullOrEmpty(p.Description)))
                {
                    parameter.Description = (parameter.In, parameter.Name) switch
                    {
                        // OpenAPI allows one name per path template, and GET on the same path takes a slug too.
                        (ParameterLocation.Path, "idOrSlug") when parameter.Schema?.Format == "uuid" => $"The {noun}'s id (a UUID); this operation does not take the slug.",
                        (ParameterLocation.Path, _) when parameter.Schema?.Format == "uuid" => $"The {noun}'s id (a UUID).",
                        (ParameterLocation.Path, "idOrSlug") => $"The {noun}'s id (a UUID) or its slug.",
                        (ParameterLocation.Query, "include") => listInclude,
                        (ParameterLocation.Path, "version") => $"A version of the {noun}, as its revisions list them.",
                        (ParameterLocation.Query, "to") => "The version to compare with.",
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

    private static readonly Lazy<System.Text.Json.Nodes.JsonObject> Sample = new(Hosting.SampleLoader.ReadSample);

    /// <summary>The sample story's first resource of this kind ("/v1/people/..." -> people[0]), if any.</summary>
    private static System.Text.Json.Nodes.JsonObject? SampleEntry(string path, string noun)
    {
        var segment = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "";
        return (Sample.Value[segment] ?? Sample.Value[noun]) switch
        {
            System.Text.Json.Nodes.JsonArray list => list.FirstOrDefault() as System.Text.Json.Nodes.JsonObject,
            System.Text.Json.Nodes.JsonObject one => one,
            _ => null,
        };
    }

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
