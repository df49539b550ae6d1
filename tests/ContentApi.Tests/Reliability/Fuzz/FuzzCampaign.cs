using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>
/// Runs the whole fuzz campaign: a seed world, then one lane per operation of openapi/v1.json (lanes in parallel,
/// requests within a lane in order, so a lane's own resources and versions are known exactly), then probes outside
/// the document (methods an operation does not have, unknown paths).
/// </summary>
public sealed partial class FuzzCampaign(Contract contract, HttpClient http, int seed, int rounds)
{
    private static readonly HashSet<int> Created = [201];
    private static readonly HashSet<int> Ok = [200];
    private static readonly HashSet<int> NoContent = [204];
    private static readonly HashSet<int> BadRequest = [400];

    /// <summary>Limits:MaxBodyBytes of the host under test (the default, 1 MiB).</summary>
    public const int BodyLimit = 1024 * 1024;

    private readonly ConcurrentQueue<FuzzResult> results = new();
    private readonly FuzzWorld world = new();

    public IReadOnlyCollection<FuzzResult> Results => results;
    public FuzzWorld World => world;
    public TimeSpan Duration { get; private set; }

    public static string Resource(Operation op) => op.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

    /// <summary>History routes under an item (revisions, diff, restore, undelete): editors and admins only, reads included.</summary>
    public static bool IsHistory(Operation op) =>
        op.Path.Contains("/revisions", StringComparison.Ordinal) || op.Path.EndsWith("/restore", StringComparison.Ordinal);

    /// <summary>Resources only admins may use, reads included.</summary>
    public static bool AdminOnly(string resource) => resource is "keys" or "webhooks";

    private static bool TakesIfMatch(Operation op) => op.In("header").Any(p => p.Name == "If-Match");

    private static bool NeedsIfMatch(Operation op) => op.In("header").Any(p => p.Name == "If-Match" && p.Required);

    /// <summary>An item of the world for a resource's item paths.</summary>
    private Guid WorldId(string resource) => resource switch
    {
        "articles" => world.Articles[0],
        "people" => world.People[0],
        "sources" => world.Sources[0],
        "quotes" => world.Quotes[0],
        "webhooks" => world.Webhook,
        _ => Guid.NewGuid(),
    };

    private static string Admin => "Bearer " + ContentApiFactory.AdminKey;

    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        await BuildWorldAsync(new FuzzGenerator(contract, world, new Random(seed), "w"));
        await Parallel.ForEachAsync(contract.Operations.Select((op, i) => (op, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (lane, _) =>
            {
                var rng = new Random(unchecked(seed * 31 + StableHash(lane.op.Id)));
                await RunLaneAsync(lane.op, new FuzzGenerator(contract, world, rng, "l" + lane.i.ToString(CultureInfo.InvariantCulture)));
            });
        await ProbeOutsideTheDocumentAsync(new FuzzGenerator(contract, world, new Random(seed + 1), "x"));
        Duration = clock.Elapsed;
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, a seed must not.</summary>
    public static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }

    public async Task<FuzzResult> SendAsync(FuzzRequest request)
    {
        using var message = new HttpRequestMessage(request.Method, request.Url);
        if (request.Authorization is not null)
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        if (request.IfMatch is not null)
            message.Headers.TryAddWithoutValidation("If-Match", request.IfMatch);
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
            message.Headers.TryAddWithoutValidation(name, value);
        if (request.Body is not null)
        {
            // As a well-behaved client does for a large upload: the server may refuse it before the body is sent.
            if (request.Body.Length > 64 * 1024)
                message.Headers.ExpectContinue = true;
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        var clock = Stopwatch.StartNew();
        FuzzResult result;
        try
        {
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsByteArrayAsync();
            result = new FuzzResult(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body,
                response.Headers.Location?.ToString(), response.Headers.ETag?.ToString(),
                response.Content.Headers.Allow.Count > 0 ? string.Join(", ", response.Content.Headers.Allow) : null, clock.Elapsed, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            result = new FuzzResult(request, 0, null, [], null, null, null, clock.Elapsed, e.GetType().Name + ": " + e.Message);
        }
        results.Enqueue(result);
        return result;
    }

    private async Task<JsonObject> SetupAsync(Operation op, string url, JsonObject body)
    {
        var result = await SendAsync(new FuzzRequest
        {
            Op = op,
            Category = "setup",
            Method = HttpMethod.Post,
            Url = url,
            Body = Encoding.UTF8.GetBytes(body.ToJsonString()),
            ContentType = "application/json",
            Authorization = Admin,
            Expected = Created,
            Sent = body,
        });
        if (result.Status != 201)
            throw new InvalidOperationException($"setup {url} answered {result.Status}: {Encoding.UTF8.GetString(result.Body)} (sent {body.ToJsonString()})");
        return result.Json()!.AsObject();
    }

    private Operation SyncOp => contract.Operations.Single(o => o.Method == "GET" && o.Path == "/v1/sync");

    private Operation CreateOf(string resource) => contract.Operations.Single(o => o.Method == "POST" && o.Path == $"/v1/{resource}");

    private async Task BuildWorldAsync(FuzzGenerator g)
    {
        var createPerson = CreateOf("people");
        var createSource = CreateOf("sources");
        for (var i = 0; i < 3; i++)
        {
            var person = await SetupAsync(createPerson, "/v1/people", g.Body(createPerson.BodySchema!));
            world.People.Add(Guid.Parse((string)person["id"]!));
            world.PeopleSlugs.Add((string)person["slug"]!);
        }
        for (var i = 0; i < 2; i++)
        {
            var source = await SetupAsync(createSource, "/v1/sources", g.Body(createSource.BodySchema!));
            world.Sources.Add(Guid.Parse((string)source["id"]!));
            world.SourceSlugs.Add((string)source["slug"]!);
        }
        var createQuote = CreateOf("quotes");
        for (var i = 0; i < 3; i++)
        {
            var body = g.Body(createQuote.BodySchema!);
            body["articleIds"] = new JsonArray();
            body["translationOfId"] = null;
            var quote = await SetupAsync(createQuote, "/v1/quotes", body);
            world.Quotes.Add(Guid.Parse((string)quote["id"]!));
        }
        var createArticle = CreateOf("articles");
        for (var i = 0; i < 2; i++)
        {
            var body = g.Body(createArticle.BodySchema!);
            body["status"] = "published";
            body["publishedAt"] = DateTime.UtcNow.AddDays(-1 - i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            body["quoteIds"] = new JsonArray(world.Quotes.Take(2).Select(q => (JsonNode)q.ToString()).ToArray());
            var article = await SetupAsync(createArticle, "/v1/articles", body);
            world.Articles.Add(Guid.Parse((string)article["id"]!));
            world.ArticleSlugs.Add((string)article["slug"]!);
        }
        world.PublicQuotes.AddRange(world.Quotes.Take(2));
        var draft = g.Body(createArticle.BodySchema!);
        draft["status"] = "draft";
        var created = await SetupAsync(createArticle, "/v1/articles", draft);
        world.DraftArticle = Guid.Parse((string)created["id"]!);
        world.DraftSlug = (string)created["slug"]!;

        var createKey = CreateOf("keys");
        world.ReaderKey = (string)(await SetupAsync(createKey, "/v1/keys", new JsonObject { ["name"] = "fuzz reader", ["role"] = "reader" }))["key"]!;
        world.EditorKey = (string)(await SetupAsync(createKey, "/v1/keys", new JsonObject { ["name"] = "fuzz editor", ["role"] = "editor" }))["key"]!;

        var createWebhook = CreateOf("webhooks");
        world.Webhook = Guid.Parse((string)(await SetupAsync(createWebhook, "/v1/webhooks", g.Body(createWebhook.BodySchema!)))["webhook"]!["id"]!);
        var pingOp = contract.Operations.Single(o => o.Path == "/v1/webhooks/{id}/ping");
        var ping = await SendAsync(new FuzzRequest { Op = pingOp, Category = "setup", Method = HttpMethod.Post, Url = $"/v1/webhooks/{world.Webhook}/ping", Authorization = Admin, Expected = new HashSet<int> { 202 } });
        world.Delivery = Guid.Parse((string)ping.Json()!["id"]!);

        foreach (var list in contract.Operations.Where(o => o.Method == "GET" && o.In("query").Any(p => p.Name == "cursor")))
        {
            var page = await SendAsync(new FuzzRequest { Op = list, Category = "setup", Method = HttpMethod.Get, Url = ItemPath(list, WorldId(Resource(list)).ToString()) + "?limit=1", Authorization = Admin, Expected = Ok });
            if ((string?)page.Json()?["nextCursor"] is { } cursor)
                world.Cursors[list.Id] = cursor;
        }
        var sync = await SendAsync(new FuzzRequest { Op = SyncOp, Category = "setup", Method = HttpMethod.Get, Url = "/v1/sync?limit=5", Authorization = Admin, Expected = Ok });
        world.SyncToken = (string)sync.Json()!["nextToken"]!;
    }

    private sealed class Target
    {
        public Guid Id;
        public int Version;
        public bool Gone;
    }

    private async Task<Target> NewTargetAsync(string resource, FuzzGenerator g)
    {
        var create = CreateOf(resource);
        var body = resource == "keys" ? new JsonObject { ["name"] = g.Text(40), ["role"] = "reader" } : g.Body(create.BodySchema!);
        if (resource == "quotes")
        {
            // A quote used by an article cannot be deleted (409 in_use): targets start unlinked.
            body["articleIds"] = new JsonArray();
            body["translationOfId"] = null;
        }
        var created = await SetupAsync(create, create.Path, body);
        // A new webhook comes with its secret: { webhook, secret }.
        var item = created["webhook"] as JsonObject ?? created;
        return new Target { Id = Guid.Parse((string)item["id"]!), Version = (int?)item["version"] ?? 0 };
    }

    /// <summary>The operation's path for an item; a revision is the first one, a delivery the world's (of the world's webhook).</summary>
    private string ItemPath(Operation op, string value) =>
        op.Path.Replace("{idOrSlug}", value, StringComparison.Ordinal).Replace("{id}", value, StringComparison.Ordinal)
            .Replace("{version}", "1", StringComparison.Ordinal).Replace("{deliveryId}", world.Delivery.ToString(), StringComparison.Ordinal);

    /// <summary>The item path with the operation's required query parameters (a diff's to=, which version 1 always has).</summary>
    private string ItemUrl(Operation op, string value)
    {
        var required = op.In("query").Where(p => p.Required).Select(p => p.Name + "=1").ToList();
        return required.Count == 0 ? ItemPath(op, value) : ItemPath(op, value) + "?" + string.Join("&", required);
    }

    private async Task RunLaneAsync(Operation op, FuzzGenerator g)
    {
        var resource = Resource(op);
        var hasPath = op.In("path").Any();
        // A delivery's retry needs the webhook the delivery belongs to.
        var target = op.Method == "GET" || !hasPath ? null
            : op.Path.Contains("{deliveryId}", StringComparison.Ordinal) ? new Target { Id = world.Webhook }
            : await NewTargetAsync(resource, g);

        // The history and webhook routes get half the rounds: still dozens of invalid requests each, and the campaign
        // stays within its time.
        var laneRounds = IsHistory(op) || AdminOnly(resource) && resource != "keys" ? Math.Max(1, rounds / 2) : rounds;
        for (var round = 0; round < laneRounds; round++)
        {
            for (var i = 0; i < 6; i++)
                await SendValidAsync(op, g, target, resource);
            foreach (var request in Mutations(op, g, () => target, resource))
            {
                var result = await SendAsync(request);
                Track(target, result);
                if (target is { Gone: true })
                    target = await NewTargetAsync(resource, g);
            }
        }
    }

    private static void Track(Target? target, FuzzResult result)
    {
        if (target is null || result.Status is < 200 or > 299 || !result.Request.Url.Contains(target.Id.ToString(), StringComparison.Ordinal))
            return;
        if (result.Request.Method == HttpMethod.Delete)
            target.Gone = true;
        else if (result.ETag is { } etag && int.TryParse(etag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            target.Version = v;
    }

    private async Task SendValidAsync(Operation op, FuzzGenerator g, Target? target, string resource)
    {
        switch (op.Method)
        {
            case "GET":
                {
                    var (url, fields, anonymousOk) = ValidGetUrl(op, g);
                    var anonymous = anonymousOk && g.Chance(0.4);
                    await SendAsync(new FuzzRequest
                    {
                        Op = op,
                        Category = anonymous ? "valid-anonymous" : "valid",
                        Method = HttpMethod.Get,
                        Url = url,
                        Authorization = anonymous ? null : Admin,
                        Expected = Ok,
                        Fields = fields,
                    });
                    break;
                }
            case "POST" when !op.In("path").Any():
                {
                    var body = resource == "keys"
                        ? new JsonObject { ["name"] = g.Text(100), ["role"] = g.Pick(contract.EnumOf(contract.Schema("KeyRole"))!) }
                        : g.Body(op.BodySchema!);
                    var headers = g.Chance(0.3) && !AdminOnly(resource) ? new Dictionary<string, string> { ["Idempotency-Key"] = g.Slug("idem") } : null;
                    await SendAsync(new FuzzRequest
                    {
                        Op = op,
                        Category = "valid",
                        Method = HttpMethod.Post,
                        Url = op.Path,
                        Body = g.Serialize(body),
                        ContentType = g.Chance(0.2) ? "application/json; charset=utf-8" : "application/json",
                        Authorization = g.Chance(0.2) && !AdminOnly(resource) ? "Bearer " + world.EditorKey : Admin,
                        Headers = headers,
                        Expected = Created,
                        Sent = body,
                    });
                    break;
                }
            case "POST" when op.Path.EndsWith("{id}/restore", StringComparison.Ordinal):
                {
                    // Undelete: an item deleted just now comes back.
                    var gone = await NewTargetAsync(resource, g);
                    var delete = contract.Operations.Single(o => o.Method == "DELETE" && Resource(o) == resource);
                    await SendAsync(new FuzzRequest
                    {
                        Op = delete, Category = "setup", Method = HttpMethod.Delete, Url = ItemPath(delete, gone.Id.ToString()),
                        Authorization = Admin, IfMatch = $"\"{gone.Version}\"", Expected = NoContent,
                    });
                    await SendAsync(new FuzzRequest
                    {
                        Op = op, Category = "valid", Method = HttpMethod.Post, Url = ItemPath(op, gone.Id.ToString()),
                        Authorization = g.Chance(0.3) ? "Bearer " + world.EditorKey : Admin, Expected = Ok,
                    });
                    break;
                }
            case "POST":
                {
                    // publish / unpublish: optional body, optional If-Match; restore of a revision: If-Match required;
                    // the webhook routes (rotate, ping, retry): neither.
                    var hasBody = op.HasBody && g.Chance(0.5);
                    var body = new JsonObject();
                    if (hasBody && g.Chance(0.7)) body["publishedAt"] = g.Timestamp(future: g.Chance(0.2));
                    var result = await SendAsync(new FuzzRequest
                    {
                        Op = op,
                        Category = "valid",
                        Method = HttpMethod.Post,
                        Url = ItemPath(op, target!.Id.ToString()),
                        Body = hasBody ? g.Serialize(body) : null,
                        ContentType = hasBody ? "application/json" : null,
                        Authorization = Admin,
                        IfMatch = NeedsIfMatch(op) || (TakesIfMatch(op) && g.Chance(0.5)) ? $"\"{target.Version}\"" : null,
                        Expected = op.Responses.Keys.Where(s => s is >= 200 and < 300).ToHashSet(),
                    });
                    Track(target, result);
                    break;
                }
            case "PUT" or "PATCH":
                {
                    // A whole replacement or a merge patch, at the version we last saw.
                    var put = op.Method == "PUT";
                    var body = put ? g.Body(op.BodySchema!) : g.Patch(op.BodySchema!);
                    var result = await SendAsync(new FuzzRequest
                    {
                        Op = op,
                        Category = "valid",
                        Method = put ? HttpMethod.Put : HttpMethod.Patch,
                        Url = ItemPath(op, target!.Id.ToString()),
                        Body = g.Serialize(body),
                        ContentType = put ? "application/json" : op.BodyContentType,
                        Authorization = Admin,
                        IfMatch = $"\"{target.Version}\"",
                        Expected = Ok,
                        Sent = body,
                    });
                    Track(target, result);
                    break;
                }
            case "DELETE":
                {
                    var fresh = await NewTargetAsync(resource, g);
                    await SendAsync(new FuzzRequest
                    {
                        Op = op,
                        Category = "valid",
                        Method = HttpMethod.Delete,
                        Url = ItemPath(op, fresh.Id.ToString()),
                        Authorization = Admin,
                        IfMatch = resource == "keys" ? null : $"\"{fresh.Version}\"",
                        Expected = NoContent,
                    });
                    break;
                }
        }
    }

    /// <summary>A valid GET URL for the operation; whether an anonymous reader may ask it; the fields= asked for.</summary>
    private (string Url, ISet<string>? Fields, bool AnonymousOk) ValidGetUrl(Operation op, FuzzGenerator g)
    {
        var resource = Resource(op);
        var path = op.Path;
        var anonymousOk = !AdminOnly(resource) && !IsHistory(op);
        var useCursor = world.Cursors.ContainsKey(op.Id) && g.Chance(0.2);
        if (op.In("path").FirstOrDefault() is { } p)
        {
            var bySlug = p.Name == "idOrSlug" && g.Chance(0.5);
            // A cursor belongs to the list of one item: the world item it was read from.
            var value = useCursor ? WorldId(resource).ToString() : resource switch
            {
                "articles" when g.Chance(0.2) => bySlug ? world.DraftSlug : world.DraftArticle.ToString(),
                "articles" => bySlug ? g.Pick(world.ArticleSlugs) : g.Pick(world.Articles).ToString(),
                "people" => bySlug ? g.Pick(world.PeopleSlugs) : g.Pick(world.People).ToString(),
                "sources" => bySlug ? g.Pick(world.SourceSlugs) : g.Pick(world.Sources).ToString(),
                "quotes" => g.Pick(world.PublicQuotes).ToString(),
                "webhooks" => world.Webhook.ToString(),
                _ => throw new InvalidOperationException(op.Id),
            };
            anonymousOk = anonymousOk && value != world.DraftSlug && value != world.DraftArticle.ToString();
            path = ItemPath(op, Uri.EscapeDataString(value));
        }
        var query = new List<string>();
        ISet<string>? fields = null;
        foreach (var q in op.In("query"))
        {
            if (useCursor && !q.Required && q.Name is not ("cursor" or "limit" or "include" or "fields")) continue;
            if (q.Name == "cursor" && !useCursor) continue;
            if (q.Name != "cursor" && !q.Required && !g.Chance(q.Name is "limit" or "include" ? 0.4 : 0.2)) continue;
            if (g.QueryValue(op, q) is not { } value) continue;
            if (q.Name == "fields") fields = value.Split(',').ToHashSet();
            query.Add($"{q.Name}={Uri.EscapeDataString(value)}");
        }
        // The published window of a reader: an anonymous status=draft asks for nothing it may see, still a 200.
        return (query.Count == 0 ? path : path + "?" + string.Join("&", query), fields, anonymousOk);
    }
}
