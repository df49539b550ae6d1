using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

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
