using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// Body blocks as a tagged union that strict validators and generators of both kinds read the same way, without a
/// reference cycle: BodyBlock is the base (the "type" tag and the discriminator mapping), each block schema extends it
/// (allOf [BodyBlock]) with its own "type" constant and fields, and a body item is allOf [BodyBlock, oneOf the blocks].
/// Inheritance-based generators (NSwag, Kiota) see BodyBlock and its subclasses; validators and union-based ones
/// (openapi-typescript) see exactly one block per item.
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
            block.AllOf = [new OpenApiSchemaReference("BodyBlock", document)];
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
            Type = JsonSchemaType.Object,
            Description = "One block of an article body, told apart by type. Clients render blocks natively; unknown types are rejected.",
            Required = new HashSet<string> { "type" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "Which block this is; the other fields follow from it.",
                    Enum = Blocks.Select(b => (JsonNode)JsonValue.Create(b.Tag)!).ToList(),
                },
            },
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "type",
                Mapping = Blocks.ToDictionary(b => b.Tag, b => new OpenApiSchemaReference(b.Schema, document)),
            },
        };
        // Every array of blocks (requests, responses, patches and fields= answers alike) holds exactly one block each.
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
            foreach (var property in (schema.Properties?.Values ?? []).OfType<OpenApiSchema>())
                if (property.Items is OpenApiSchemaReference { Reference.Id: "BodyBlock" }
                    || property.Items is OpenApiSchema { OneOf: { } options } && options.Any(o => o is OpenApiSchemaReference { Reference.Id: "BodyBlock" }))
                    property.Items = new OpenApiSchema
                    {
                        AllOf =
                        [
                            new OpenApiSchemaReference("BodyBlock", document),
                            new OpenApiSchema { OneOf = Blocks.Select(b => (IOpenApiSchema)new OpenApiSchemaReference(b.Schema, document)).ToList() },
                        ],
                    };
    }
}
