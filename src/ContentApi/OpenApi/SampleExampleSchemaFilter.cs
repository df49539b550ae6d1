using System.Text.Json.Nodes;
using ContentApi.Articles;
using ContentApi.Hosting;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Examples for every request and response schema, drawn from the sample story (db/samples/korut-rusia.json).</summary>
public sealed class SampleExampleSchemaFilter : ISchemaFilter
{
    private static readonly Lazy<Dictionary<Type, JsonNode>> Examples = new(Build);

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        // Only the type's own schema: a property that refers to it (allOf wrapper) would otherwise repeat the example.
        if (schema is OpenApiSchema concrete && context.MemberInfo is null && Examples.Value.TryGetValue(context.Type, out var example))
            concrete.Examples = [example.DeepClone()];
    }

    private static Dictionary<Type, JsonNode> Build()
    {
        var sample = SampleLoader.ReadSample();
        // The sample's own ids (fixed in the file, loaded as they are), so an example pasted into Try it out finds its row.
        var ids = new Dictionary<string, string>
        {
            ["jake-sullivan"] = SampleLoader.IdOf("people", "jake-sullivan").ToString(),
            ["afp"] = SampleLoader.IdOf("sources", "afp").ToString(),
            ["sullivan"] = SampleLoader.IdOf("quotes", "sullivan").ToString(),
            ["article"] = SampleLoader.ArticleId.ToString(),
            ["kamala-harris"] = SampleLoader.IdOf("people", "kamala-harris").ToString(),
            ["reuters"] = SampleLoader.IdOf("sources", "reuters").ToString(),
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
        person.Remove("id");
        foreach (var k in new[] { "description", "wikidataId", "imageUrl" }) person.TryAdd(k, null);
        var source = sample["sources"]!.AsArray().First(s => (string)s!["slug"]! == "afp")!.AsObject().DeepClone().AsObject();
        source.Remove("id");
        var quoteNode = sample["quotes"]!.AsArray().First(q => (string)q!["key"]! == "sullivan")!.AsObject();
        var quote = new JsonObject
        {
            ["text"] = quoteNode["text"]!.DeepClone(),
            ["language"] = "id",
            ["type"] = "direct",
            ["speakerId"] = ids["jake-sullivan"],
            ["speakerRole"] = quoteNode["speakerRole"]!.DeepClone(),
            ["saidOn"] = quoteNode["saidOn"]!.DeepClone(),
            ["occasion"] = quoteNode["occasion"]!.DeepClone(),
            ["sourceId"] = ids["afp"],
            ["sourceUrl"] = null,
            ["translationOfId"] = null,
            ["articleIds"] = new JsonArray(ids["article"]),
        };
        var a = sample["article"]!.AsObject();
        var body = a["body"]!.AsArray();
        var article = new JsonObject
        {
            ["slug"] = a["slug"]!.DeepClone(),
            ["title"] = a["title"]!.DeepClone(),
            ["summary"] = a["summary"]!.DeepClone(),
            ["language"] = "id",
            ["status"] = "published",
            ["publishedAt"] = a["publishedAt"]!.DeepClone(),
            ["section"] = a["section"]!.DeepClone(),
            ["tags"] = a["tags"]!.DeepClone(),
            ["byline"] = null,
            ["heroImage"] = null,
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
        var correction = new JsonObject
        {
            ["at"] = "2023-09-08T03:12:44Z",
            ["text"] = "Versi sebelumnya menyebut Jake Sullivan Menteri Luar Negeri AS; ia Penasihat Keamanan Nasional AS.",
        };
        articleResponse["corrections"] = new JsonArray(correction.DeepClone());
        JsonObject Page(JsonObject item) => new() { ["items"] = new JsonArray(item.DeepClone()), ["nextCursor"] = null };
        var key = new JsonObject
        {
            ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a08",
            ["name"] = "ios-app",
            ["role"] = "reader",
            ["prefix"] = "cak_Xb3k",
            ["createdAt"] = "2023-09-08T02:41:07Z",
            ["revokedAt"] = null,
        };
        var change = new JsonObject
        {
            ["type"] = "person",
            ["id"] = ids["jake-sullivan"],
            ["op"] = "upsert",
            ["version"] = 1,
            ["data"] = personResponse.DeepClone(),
        };

        var changedBy = new JsonObject { ["keyId"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a09", ["name"] = "desk-editor" };
        var revision = new JsonObject { ["version"] = 2, ["op"] = "update", ["changedAt"] = "2023-09-08T03:12:44Z", ["changedBy"] = changedBy };
        var revisionState = revision.DeepClone().AsObject();
        revisionState["state"] = articleResponse.DeepClone();
        var diff = new JsonObject
        {
            ["from"] = 1,
            ["to"] = 2,
            ["patch"] = new JsonArray(
                new JsonObject { ["op"] = "replace", ["path"] = "/body/1/text", ["value"] = "Pyongyang membantah laporan itu." },
                new JsonObject { ["op"] = "replace", ["path"] = "/version", ["value"] = 2 }),
        };
        var webhookRequest = new JsonObject
        {
            ["url"] = "https://hooks.example.com/contentapi",
            ["events"] = new JsonArray("article.published", "quote.updated"),
            ["description"] = "Rebuild the front page",
            ["active"] = true,
        };
        var webhook = new JsonObject
        {
            ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a0a",
            ["url"] = "https://hooks.example.com/contentapi",
            ["events"] = new JsonArray("article.published", "quote.updated"),
            ["description"] = "Rebuild the front page",
            ["active"] = true,
            ["disabledReason"] = null,
            ["version"] = 1,
            ["createdAt"] = "2023-09-08T02:41:07Z",
            ["updatedAt"] = "2023-09-08T02:41:07Z",
        };
        var delivery = new JsonObject
        {
            ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a0b",
            ["event"] = "article.published",
            ["resourceId"] = ids["article"],
            ["status"] = "delivered",
            ["attempts"] = 2,
            ["lastStatusCode"] = 200,
            ["lastLatencyMs"] = 84,
            ["lastError"] = null,
            ["nextAttemptAt"] = null,
            ["createdAt"] = "2023-09-08T03:00:00Z",
            ["deliveredAt"] = "2023-09-08T03:00:06Z",
        };

        return new Dictionary<Type, JsonNode>
        {
            [typeof(Revisions.RevisionSummary)] = revision,
            [typeof(Page<Revisions.RevisionSummary>)] = new JsonObject { ["items"] = new JsonArray(revision.DeepClone()), ["nextCursor"] = null },
            [typeof(Revisions.RevisionResponse)] = revisionState,
            [typeof(Revisions.RevisionDiff)] = diff,
            [typeof(Revisions.ChangedBy)] = changedBy.DeepClone(),
            [typeof(Webhooks.WebhookRequest)] = webhookRequest,
            [typeof(Webhooks.WebhookResponse)] = webhook,
            [typeof(Webhooks.WebhookListResponse)] = new JsonObject { ["items"] = new JsonArray(webhook.DeepClone()), ["nextCursor"] = null },
            [typeof(Webhooks.WebhookWithSecretResponse)] = new JsonObject
            {
                ["webhook"] = webhook.DeepClone(),
                ["secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwJz6QdSfvYqk=",
            },
            [typeof(Webhooks.DeliveryResponse)] = delivery,
            [typeof(Webhooks.DeliveryListResponse)] = new JsonObject { ["items"] = new JsonArray(delivery.DeepClone()), ["nextCursor"] = null },
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
            [typeof(ArticleCorrection)] = correction,
            [typeof(Page<ArticleResponse>)] = Page(articleResponse),
            [typeof(PublishRequest)] = new JsonObject { ["publishedAt"] = "2023-09-08T03:00:00Z" },
            [typeof(Keys.KeyRequest)] = new JsonObject { ["name"] = "ios-app", ["role"] = "reader" },
            [typeof(Keys.KeyResponse)] = key,
            [typeof(Keys.KeyListResponse)] = new JsonObject { ["items"] = new JsonArray(key.DeepClone()), ["nextCursor"] = null },
            [typeof(Keys.CreatedKeyResponse)] = new JsonObject
            {
                ["id"] = key["id"]!.DeepClone(),
                ["name"] = "ios-app",
                ["role"] = "reader",
                ["key"] = "cak_Xb3kq9TtVQmE2rJ0aW5yN8cLhP4sD7fGuZ1oB6iR-eM",
                ["createdAt"] = "2023-09-08T02:41:07Z",
            },
            [typeof(Sync.SyncItem)] = change,
            [typeof(Sync.SyncPage)] = new JsonObject
            {
                ["items"] = new JsonArray(change.DeepClone(),
                    new JsonObject { ["type"] = "quote", ["id"] = "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a07", ["op"] = "delete", ["version"] = 4 }),
                ["nextToken"] = "eyJUeCI6IjcyNyIsIlNlcSI6MiwiQXQiOiIyMDIzLTA5LTA4VDAzOjAwOjAwWiJ9.kGCutxfU80IuN8FVQGYTLw",
                ["hasMore"] = false,
            },
        };
    }
}
