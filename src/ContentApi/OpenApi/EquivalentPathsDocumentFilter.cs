using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

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
