using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>One request the fuzzer sends, with what it expects back.</summary>
public sealed record FuzzRequest
{
    /// <summary>The operation of the document the request aims at; null for probes outside it (wrong method, unknown path).</summary>
    public required Operation? Op { get; init; }
    /// <summary>valid, setup, or the mutation applied (missing-required, bad-utf8, ...).</summary>
    public required string Category { get; init; }
    public required HttpMethod Method { get; init; }
    /// <summary>Relative URL, already percent-encoded (hostile encodings included on purpose).</summary>
    public required string Url { get; init; }
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }
    /// <summary>The whole Authorization header value; null sends none.</summary>
    public string? Authorization { get; init; }
    public string? IfMatch { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    /// <summary>The statuses this request may get; null: any status the operation documents.</summary>
    public IReadOnlySet<int>? Expected { get; init; }
    /// <summary>fields= of the request: the answer is checked as a sparse representation.</summary>
    public ISet<string>? Fields { get; init; }
    /// <summary>For valid writes: what was sent, to check text comes back verbatim.</summary>
    public JsonObject? Sent { get; init; }

    public string Describe()
    {
        var body = Body is null ? "" : " body=" + Text.Shorten(Encoding.UTF8.GetString(Body).Replace("\n", "\\n"), 240);
        var headers = string.Join("", new[]
        {
            ContentType is null ? null : $" [Content-Type: {ContentType}]",
            Authorization is null ? " [anonymous]" : Authorization.EndsWith(ContentApiFactory.AdminKey, StringComparison.Ordinal) && Authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? null : $" [Authorization: {Text.Shorten(Authorization, 60)}]",
            IfMatch is null ? null : $" [If-Match: {IfMatch}]",
        }.Concat(Headers?.Select(h => $" [{h.Key}: {Text.Shorten(h.Value, 40)}]") ?? []));
        return $"{Op?.Id ?? "-"}/{Category}: {Method} {Text.Shorten(Url, 200)}{headers}{body}";
    }
}

public sealed record FuzzResult(FuzzRequest Request, int Status, string? MediaType, byte[] Body, string? Location, string? ETag,
    string? Allow, TimeSpan Elapsed, string? TransportError)
{
    public JsonNode? Json()
    {
        try
        {
            return Body.Length == 0 ? null : JsonNode.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Generates requests for one operation from the document: valid ones from its schemas (with a few semantic hints
/// the schema cannot carry: what a slug looks like, which ids exist) and invalid ones by mutating a valid one.
/// Every value comes from the lane's own seeded Random, so a seed reproduces the exact requests.
/// </summary>
public sealed class FuzzGenerator(Contract contract, FuzzWorld world, Random rng, string tag)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Escaped = new() { Encoder = JavaScriptEncoder.Default };
    private static readonly string[] Languages = ["id", "en", "ko", "ar", "en-GB", "zh-Hant-TW", "jv", "ms"];
    private static readonly string[] Countries = ["GB", "ID", "KR", "SA", "US", "FR"];
    private int counter;

    public Random Rng => rng;

    public T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public bool Chance(double p) => rng.NextDouble() < p;

    public string Slug(string prefix = "fz") => $"{prefix}-{tag}-{Interlocked.Increment(ref counter)}-{rng.Next(1_000_000):x}";

    /// <summary>Valid text: at least one visible character, no NUL, no lone surrogate, at most <paramref name="max"/> UTF-16 units.</summary>
    public string Text(int max = 120)
    {
        var text = Pick(FuzzCorpus.Texts);
        if (Chance(0.3)) text += " " + Pick(FuzzCorpus.Texts);
        if (Chance(0.2)) text = Pick(FuzzCorpus.Injections) + " " + text;
        return Cut(text, max);
    }

    public static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        var result = text[..cut];
        return result.Trim().Length == 0 ? "x" : result;
    }

    public string Url() => Pick(new[]
    {
        $"https://media.example.org/images/{rng.Next(100000)}.jpg",
        $"http://example.com/path?q={rng.Next(1000)}&x=%20",
        "https://例え.jp/記事/한국어?q=ü",
        $"https://www.reuters.com/world/{Slug("r")}",
        "https://example.org/a/../b/./c#frag",
    });

    public string Timestamp(bool future = false)
    {
        var t = future ? DateTime.UtcNow.AddDays(rng.Next(1, 400)) : DateTime.UtcNow.AddMinutes(-rng.Next(1, 5_000_000));
        return t.ToString(Chance(0.5) ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    public string Date() => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-rng.Next(0, 20000))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private List<Guid> Subset(IReadOnlyList<Guid> pool, int max)
    {
        var n = rng.Next(0, Math.Min(max, pool.Count) + 1);
        return pool.OrderBy(_ => rng.Next()).Take(n).ToList();
    }

    /// <summary>A valid request body for the schema (ArticleRequest, QuoteRequest, ...).</summary>
    public JsonObject Body(JsonNode schema)
    {
        var name = Contract.RefName(schema) ?? "";
        var obj = contract.ObjectOf(schema) ?? throw new InvalidOperationException($"Not an object schema: {schema.ToJsonString()}");
        var result = Object(obj, name);
        if (name is "ArticleRequest" or "ArticlePatch" && (string?)result["status"] == "published" && result["publishedAt"] is null)
            result["publishedAt"] = Timestamp(future: Chance(0.1));
        return result;
    }

    private JsonObject Object(JsonObject schema, string owner)
    {
        var result = new JsonObject();
        var required = (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).ToHashSet();
        foreach (var (property, propertySchema) in schema["properties"]!.AsObject())
        {
            // Embedded read-only resources (person, source, speaker) are never part of a request.
            if (Contract.RefName(propertySchema)?.EndsWith("Response", StringComparison.Ordinal) == true) continue;
            // A correction is valid only on an edit of something readers can see now, which the random world cannot
            // promise: valid bodies leave it out (Articles/ArticleCorrectionTests covers it).
            if (property == "correction") continue;
            if (owner.EndsWith("Block", StringComparison.Ordinal) && property == "type")
            {
                result["type"] = (string)propertySchema!["enum"]![0]!;
                continue;
            }
            if (!required.Contains(property))
            {
                if (Chance(0.35)) continue;
                if (Contract.IsNullable(propertySchema!) && Chance(0.15))
                {
                    result[property] = null;
                    continue;
                }
            }
            result[property] = Value(propertySchema!, property, owner);
        }
        return result;
    }

    public JsonNode? Value(JsonNode schema, string name, string owner)
    {
        switch (name)
        {
            case "slug": return Slug();
            case "language": return Pick(Languages);
            case "url" or "imageUrl" or "sourceUrl": return Url();
            case "country": return Pick(Countries);
            case "wikidataId": return "Q" + rng.Next(1, 99_999_999).ToString(CultureInfo.InvariantCulture);
            case "speakerId": return Pick(world.People).ToString();
            case "sourceId" when owner is "QuoteRequest" or "QuotePatch": return Pick(world.Sources).ToString();
            case "translationOfId": return world.Quotes.Count == 0 || Chance(0.5) ? null : Pick(world.Quotes).ToString();
            case "quoteId": return Pick(world.Quotes).ToString();
            case "quoteIds": return new JsonArray(Subset(world.Quotes, 2).Select(g => (JsonNode)g.ToString()).ToArray());
            case "articleIds": return new JsonArray(Subset(world.Articles, 2).Select(g => (JsonNode)g.ToString()).ToArray());
            case "saidOn": return Date();
            // Subscriptions the fuzzer makes stay inactive: each write of the campaign would queue a delivery for every one.
            case "active" when owner.StartsWith("Webhook", StringComparison.Ordinal): return false;
            case "events" when owner.StartsWith("Webhook", StringComparison.Ordinal):
                return new JsonArray(ContentApi.Webhooks.WebhookEvents.Known.Order(StringComparer.Ordinal).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).Select(e => (JsonNode)e).ToArray());
            case "publishedAt": return Timestamp(future: Chance(0.1));
            case "level": return rng.Next(2, 7);
            case "tags": return new JsonArray(Enumerable.Range(0, rng.Next(0, 5)).Select(_ => (JsonNode)Text(60)).ToArray());
            case "aliases": return new JsonArray(Enumerable.Range(0, rng.Next(0, 4)).Select(_ => (JsonNode)Text(60)).ToArray());
            case "people":
                return new JsonArray(Subset(world.People, 3).Select(p => (JsonNode)new JsonObject
                {
                    ["personId"] = p.ToString(),
                    ["role"] = Pick(contract.EnumOf(contract.Schema("PersonRole"))!),
                }).ToArray());
            case "sources":
                return new JsonArray(Subset(world.Sources, 2).Select(s => (JsonNode)new JsonObject
                {
                    ["sourceId"] = s.ToString(),
                    ["relation"] = Pick(contract.EnumOf(contract.Schema("SourceRelation"))!),
                }).ToArray());
            case "body":
                {
                    var blocks = contract.Schema("BodyBlock")["discriminator"]!["mapping"]!.AsObject().Select(m => m.Value!.GetValue<string>()).ToList();
                    return new JsonArray(Enumerable.Range(0, rng.Next(0, 6))
                        .Select(_ => (JsonNode)Body(new JsonObject { ["$ref"] = Pick(blocks) })).ToArray());
                }
            case "text" when owner is "QuoteRequest" or "QuotePatch": return Chance(0.2) ? "  " + Text(300) + " \n" : Text(300);
            case "text": return Text(200);
            case "name": return Text(100);
        }
        if (contract.EnumOf(schema) is { } values)
            return Pick(values);
        if (contract.ObjectOf(schema) is { } obj)
            return Object(obj, Contract.RefName(schema) ?? "");
        var s = contract.Resolve(schema);
        return (string?)s["type"] switch
        {
            "string" => (string?)s["format"] switch
            {
                "uuid" => Guid.NewGuid().ToString(),
                "date-time" => Timestamp(),
                "date" => Date(),
                _ => Text(120),
            },
            "integer" => rng.Next(0, 100),
            "boolean" => Chance(0.5),
            "array" => new JsonArray(),
            _ => Text(40),
        };
    }

    /// <summary>A valid merge patch: one to three fields of the request schema.</summary>
    public JsonObject Patch(JsonNode requestSchema)
    {
        // Optional fields are left out at random: draw again until there is one to send besides the slug.
        var full = Body(requestSchema);
        for (var i = 0; i < 50 && full.All(p => p.Key == "slug"); i++)
            full = Body(requestSchema);
        var names = full.Select(p => p.Key).Where(k => k != "slug" || Chance(0.2)).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
        var patch = new JsonObject();
        foreach (var n in names)
            patch[n] = full[n]?.DeepClone();
        // A published article needs publishedAt: a patch that sets the status, or clears the time of an article that may be published, names one.
        if (((string?)patch["status"] == "published" && patch["publishedAt"] is null) || (patch.ContainsKey("publishedAt") && patch["publishedAt"] is null))
            patch["publishedAt"] = Timestamp();
        return patch;
    }

    public byte[] Serialize(JsonNode node) =>
        Encoding.UTF8.GetBytes(node.ToJsonString(Chance(0.5) ? Relaxed : Escaped));

    /// <summary>Query values that are valid for a parameter.</summary>
    public string? QueryValue(Operation op, Parameter p)
    {
        var resource = FuzzCampaign.Resource(op);
        switch (p.Name)
        {
            case "limit": return rng.Next(1, resource == "sync" ? 501 : 101).ToString(CultureInfo.InvariantCulture);
            case "status": return Pick(new[] { "draft", "published", "archived" });
            case "sort": return Pick(new[] { "-publishedAt", "publishedAt", "-updatedAt" });
            case "kind": return Pick(contract.EnumOf(contract.Schema("SourceKind"))!);
            case "language": return Pick(Languages);
            case "personId" or "speakerId": return Pick(world.People).ToString();
            case "sourceId": return Pick(world.Sources).ToString();
            case "articleId": return Pick(world.Articles).ToString();
            case "q": return Chance(0.2) ? Pick(FuzzCorpus.Injections) : Cut(Text(60), 60);
            case "tag": return Text(40);
            case "include": return string.Join(",", Includes(p).OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)));
            case "fields": return string.Join(",", FieldNames(op).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)));
            case "cursor": return world.Cursors.GetValueOrDefault(op.Id);
            case "to": return "1";
            case "since": return Chance(0.5) ? world.SyncToken : null;
            case "publishedAfter" or "updatedSince": return Timestamp();
            case "publishedBefore": return DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            case "saidAfter": return "1990-01-01";
            case "saidBefore": return DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>The include names the parameter's description lists ("Embed related resources: a, b, c.").</summary>
    public static List<string> Includes(Parameter p)
    {
        var colon = p.Description.IndexOf(':');
        return colon < 0 ? [] : p.Description[(colon + 1)..].TrimEnd('.').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>Top-level field names of the operation's 200 representation (the items' for a page).</summary>
    public List<string> FieldNames(Operation op)
    {
        var schema = contract.Resolve(op.Responses[200]!);
        var properties = schema["properties"]!.AsObject();
        if (properties.ContainsKey("items") && properties.ContainsKey("nextCursor"))
            properties = contract.Resolve(properties["items"]!["items"]!)["properties"]!.AsObject();
        return properties.Select(p => p.Key).ToList();
    }
}
