using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.Imports;

/// <summary>POST /v1/imports takes the story itself as text/plain or text/html: those bodies are strings, not the JSON request.</summary>
public sealed class ImportOperationFilter : IOperationFilter
{
    private const string Story = ImportDocumentFilter.ExampleStory;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "ImportStory" || operation.RequestBody?.Content is not { } content) return;
        content["text/plain"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The story as pasted, UTF-8, one paragraph per line; at most 200 KB." },
            Example = JsonValue.Create(Story),
        };
        content["text/html"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The story as HTML: paragraphs from block elements; scripts, styles and markup dropped." },
            Example = JsonValue.Create("<h1>Wanti-wanti AS</h1><p>" + Story.Split('\n')[1].Replace("\"", "&quot;") + "</p>"),
        };
    }
}
