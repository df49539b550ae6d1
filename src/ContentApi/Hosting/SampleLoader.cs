using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using FluentValidation;

namespace ContentApi.Hosting;

/// <summary>
/// Loads db/samples/korut-rusia.json through the same validators and repositories as the API. The file names
/// people, sources and quotes by slug or key and gives each its id, so every database that loads the sample has the
/// same ids and the OpenAPI document's examples (Try it out) address real rows. Safe to run again: what exists is kept.
/// </summary>
public sealed class SampleLoader(
    PersonRepository people, SourceRepository sources, QuoteRepository quotes, ArticleRepository articles,
    IValidator<PersonRequest> personValidator, IValidator<SourceRequest> sourceValidator,
    IValidator<QuoteRequest> quoteValidator, IValidator<ArticleRequest> articleValidator, ILogger<SampleLoader> logger)
{
    public const string ResourceName = "samples.korut-rusia.json";

    public static JsonObject ReadSample()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>Returns false when the sample article is already there.</summary>
    public async Task<bool> LoadAsync(CancellationToken ct)
    {
        var sample = ReadSample();
        var articleNode = sample["article"]!.AsObject();
        var slug = (string)articleNode["slug"]!;
        if (await articles.GetAsync(new IdOrSlug(null, slug), Audience.Editor, ArticleIncludes.None, ct) is not null)
            return false;

        var personIds = new Dictionary<string, Guid>();
        foreach (var node in sample["people"]!.AsArray())
        {
            var (id, request) = await Valid(node!, personValidator, ct);
            var person = await people.GetAsync(new IdOrSlug(null, request.Slug), Audience.Editor, Includes.None, ct)
                ?? await people.InsertAsync(id, 1, request, Writes.Actor.SampleLoader, ct);
            personIds[person.Slug] = person.Id;
        }

        var sourceIds = new Dictionary<string, Guid>();
        foreach (var node in sample["sources"]!.AsArray())
        {
            var (id, request) = await Valid(node!, sourceValidator, ct);
            var source = await sources.GetAsync(new IdOrSlug(null, request.Slug), Audience.Editor, Includes.None, ct)
                ?? await sources.InsertAsync(id, 1, request, Writes.Actor.SampleLoader, ct);
            sourceIds[source.Slug] = source.Id;
        }

        var quoteIds = new Dictionary<string, Guid>();
        foreach (var node in sample["quotes"]!.AsArray())
        {
            var q = node!.AsObject().DeepClone().AsObject();
            var key = (string)q["key"]!;
            q["speakerId"] = personIds[(string)q["speaker"]!];
            q["sourceId"] = sourceIds[(string)q["source"]!];
            q.Remove("key"); q.Remove("speaker"); q.Remove("source");
            var (id, request) = await Valid(q, quoteValidator, ct);
            var (existing, _) = await quotes.ListAsync(new QuoteFilter(request.SpeakerId, null, null, null, null, null, null),
                null, Limits.MaxPageSize, Audience.Editor, Includes.None, ct);
            var quote = existing.FirstOrDefault(e => e.Text == request.Text) ?? await quotes.InsertAsync(id, 1, request, Writes.Actor.SampleLoader, ct);
            quoteIds[key] = quote.Id;
        }

        var a = articleNode.DeepClone().AsObject();
        a["people"] = new JsonArray(a["people"]!.AsArray().Select(p => (JsonNode)new JsonObject
        {
            ["personId"] = personIds[(string)p!["person"]!],
            ["role"] = p["role"]!.DeepClone(),
        }).ToArray());
        a["sources"] = new JsonArray(a["sources"]!.AsArray().Select(s => (JsonNode)new JsonObject
        {
            ["sourceId"] = sourceIds[(string)s!["source"]!],
            ["relation"] = s["relation"]!.DeepClone(),
        }).ToArray());
        a["quoteIds"] = new JsonArray(a["quotes"]!.AsArray().Select(k => (JsonNode)JsonValue.Create(quoteIds[(string)k!])).ToArray());
        a.Remove("quotes");
        var (articleId, articleRequest) = await Valid(a, articleValidator, ct);
        var article = await articles.InsertAsync(articleId, 1, articleRequest, Writes.Actor.SampleLoader, ct);
        logger.LogInformation("Loaded the sample story as article {Slug} ({Id}).", article.Slug, article.Id);
        return true;
    }

    /// <summary>The entry's fixed id (the file's "id", which no request contract has) and its validated request.</summary>
    private static async Task<(Guid Id, T Request)> Valid<T>(JsonNode node, IValidator<T> validator, CancellationToken ct)
    {
        var body = node.DeepClone().AsObject();
        var id = Guid.Parse((string)body["id"]!);
        body.Remove("id");
        var request = body.Deserialize<T>(ContentJson.Options)!;
        await validator.ValidateAndThrowAsync(request, ct);
        return (id, request);
    }

    /// <summary>The fixed id of the sample's entry in <paramref name="list"/> ("people", "sources", "quotes") named by slug or key.</summary>
    public static Guid IdOf(string list, string slugOrKey) =>
        Guid.Parse((string)ReadSample()[list]!.AsArray()
            .First(e => (string?)e!["slug"] == slugOrKey || (string?)e!["key"] == slugOrKey)!["id"]!);

    /// <summary>The fixed id of the sample's article.</summary>
    public static Guid ArticleId => Guid.Parse((string)ReadSample()["article"]!["id"]!);
}
