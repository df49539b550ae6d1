using System.Text.Json.Nodes;
using ContentApi.Imports.Extraction;
using ContentApi.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.Imports;

/// <summary>
/// The Imports tag's description and examples for the import's request and answer: the answer is what the extractor
/// really makes of the example story (as a dry run against an empty database), so the example cannot drift from the code.
/// </summary>
public sealed class ImportDocumentFilter : IDocumentFilter
{
    public const string ExampleStory = "Korea Utara mendukung Rusia, negara yang masih saja menginvasi Ukraina.\n"
        + "\"Mereka akan menanggung konsekuensinya di komunitas internasional,\" kata Penasihat Keamanan Nasional AS Jake Sullivan kepada wartawan di Gedung Putih seperti dikutip kantor berita AFP, Rabu (6/9).";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var tag in document.Tags?.Where(t => t.Name == "Imports") ?? [])
            tag.Description = "Stories pasted as text or HTML become draft articles with their quotes, speakers and sources found.";
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var request = new ImportRequest
        {
            Text = ExampleStory, Language = "id", Title = "AS Wanti-wanti Korut", PublishedAt = new DateTime(2023, 9, 8, 3, 0, 0, DateTimeKind.Utc),
            Section = "Internasional", SourceUrl = "https://news.example.org/as-wanti-wanti-korut",
        };
        if (schemas.TryGetValue("ImportRequest", out var requestSchema) && requestSchema is OpenApiSchema r)
            r.Examples = [JsonNode.Parse(ContentJson.Serialize(request))!];
        if (schemas.TryGetValue("ImportResponse", out var responseSchema) && responseSchema is OpenApiSchema a)
        {
            var extraction = StoryExtractor.Extract(StoryText.LinesFromText(ExampleStory), request.Title, request.Language);
            var planned = ImportPlanner.Build(extraction, request, [], [], DateOnly.FromDateTime(request.PublishedAt!.Value));
            var answer = new ImportResponse { Article = null, Proposal = ImportPlanner.ForDryRun(planned.Proposal) };
            a.Examples = [JsonNode.Parse(ContentJson.Serialize(answer))!];
        }
    }
}
