using System.Reflection;
using System.Text.Json.Nodes;
using ContentApi.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// Every contract marked with <see cref="TaggedDataAttribute"/> becomes a tagged union the way BodyBlock is one: the
/// contract's schema is the base (its tag an enum, with the discriminator mapping), each tag gets "{Base}{Tag}" =
/// allOf [base] with its tag constant and data typed as that case's schema or null, and every array of the base holds
/// allOf [base, oneOf the cases]. No reference cycle; strict validators check each item's data against its type.
/// </summary>
public sealed class TaggedDataDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var type in typeof(TaggedDataAttribute).Assembly.GetTypes())
        {
            var cases = type.GetCustomAttributes<TaggedDataAttribute>().ToList();
            if (cases.Count == 0 || !context.SchemaRepository.TryLookupByType(type, out var reference)) continue;
            var name = reference.Reference.Id!;
            if (schemas[name] is not OpenApiSchema envelope) continue;
            var tagProperty = cases[0].TagProperty;
            var dataProperty = cases[0].DataProperty;
            var dataDescription = envelope.Properties?.TryGetValue(dataProperty, out var d) == true ? d.Description : null;

            var variants = new List<(string Tag, string Schema)>();
            foreach (var c in cases)
            {
                var data = context.SchemaGenerator.GenerateSchema(c.DataType, context.SchemaRepository);
                var variant = name + char.ToUpperInvariant(c.Tag[0]) + c.Tag[1..];
                schemas[variant] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"{name} for {c.Tag}: data is the {c.Tag} as GET returns it, or null when it is gone.",
                    AllOf = [new OpenApiSchemaReference(name, document)],
                    Required = new HashSet<string> { tagProperty, dataProperty },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [tagProperty] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(c.Tag)!], Description = $"Always \"{c.Tag}\"." },
                        [dataProperty] = new OpenApiSchema { Description = dataDescription, OneOf = [data, new OpenApiSchema { Type = JsonSchemaType.Null }] },
                    },
                };
                variants.Add((c.Tag, variant));
            }

            envelope.Properties?.Remove(dataProperty);
            envelope.AdditionalProperties = null;
            envelope.AdditionalPropertiesAllowed = true;
            if (envelope.Properties?.TryGetValue(tagProperty, out var tag) == true && tag is OpenApiSchema tagSchema)
                tagSchema.Enum = variants.Select(v => (JsonNode)JsonValue.Create(v.Tag)!).ToList();
            envelope.Discriminator = new OpenApiDiscriminator
            {
                PropertyName = tagProperty,
                Mapping = variants.ToDictionary(v => v.Tag, v => new OpenApiSchemaReference(v.Schema, document)),
            };

            foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
                foreach (var property in (schema.Properties?.Values ?? []).OfType<OpenApiSchema>())
                    if (property.Items is OpenApiSchemaReference r && r.Reference.Id == name)
                        property.Items = new OpenApiSchema
                        {
                            AllOf =
                            [
                                new OpenApiSchemaReference(name, document),
                                new OpenApiSchema { OneOf = variants.Select(v => (IOpenApiSchema)new OpenApiSchemaReference(v.Schema, document)).ToList() },
                            ],
                        };
        }
    }
}
