using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>The invalid requests made from a valid one: broken bodies, headers and query strings, each with the statuses it may get.</summary>
public sealed partial class FuzzCampaign
{
    /// <summary>
    /// The invalid requests for one round, generated lazily: each is made just before it is sent, so If-Match always
    /// carries the target's current version (a mutation that unexpectedly succeeds moves it on).
    /// </summary>
    private IEnumerable<FuzzRequest> Mutations(Operation op, FuzzGenerator g, Func<Target?> currentTarget, string resource)
    {
        string? IfMatch() => currentTarget() is not { } target || op.Method is "GET" || resource == "keys" ? null : $"\"{target.Version}\"";

        FuzzRequest Make(string category, IReadOnlySet<int>? expected, string? url = null, byte[]? body = null, string? contentType = null,
            string? authorization = "", string? ifMatch = "", IReadOnlyDictionary<string, string>? headers = null)
        {
            ISet<string>? fields = null;
            if (url is null)
            {
                if (currentTarget() is { } target)
                    url = ItemPath(op, target.Id.ToString());
                else
                    (url, fields, _) = ValidGetUrl(op, g);
            }
            return new FuzzRequest
            {
                Op = op,
                Category = category,
                Method = new HttpMethod(op.Method),
                Url = url,
                Fields = fields,
                Body = body,
                ContentType = contentType ?? (body is null ? null : op.BodyContentType ?? "application/json"),
                Authorization = authorization == "" ? Admin : authorization,
                IfMatch = ifMatch == "" ? IfMatch() : ifMatch,
                Headers = headers,
                Expected = expected,
            };
        }

        // Who is asking.
        if (op.IsWrite)
        {
            var body = ValidBody(op, g, resource);
            yield return Make("anonymous-write", new HashSet<int> { 401 }, body: body, authorization: null);
            yield return Make("reader-write", new HashSet<int> { 403 }, body: body, authorization: "Bearer " + world.ReaderKey);
            if (AdminOnly(resource))
                yield return Make("editor-" + resource, new HashSet<int> { 403 }, body: body, authorization: "Bearer " + world.EditorKey);
        }
        else if (AdminOnly(resource))
        {
            yield return (Make("anonymous-" + resource, new HashSet<int> { 401 }, authorization: null));
            yield return (Make("reader-" + resource, new HashSet<int> { 403 }, authorization: "Bearer " + world.ReaderKey));
            yield return (Make("editor-" + resource, new HashSet<int> { 403 }, authorization: "Bearer " + world.EditorKey));
        }
        else if (IsHistory(op))
        {
            yield return (Make("anonymous-history", new HashSet<int> { 401 }, authorization: null));
            yield return (Make("reader-history", new HashSet<int> { 403 }, authorization: "Bearer " + world.ReaderKey));
        }
        yield return (Make("bad-authorization", new HashSet<int> { 401 }, body: op.IsWrite ? ValidBody(op, g, resource) : null,
            authorization: g.Pick(FuzzCorpus.BadAuthorizations)));
        yield return (Make("long-authorization", new HashSet<int> { 401 }, body: op.IsWrite ? ValidBody(op, g, resource) : null,
            authorization: "Bearer " + new string('k', g.Pick(new[] { 600, 4000 }))));

        // Path parameters.
        if (op.In("path").FirstOrDefault() is { } pathParam)
        {
            var segment = g.Pick(FuzzCorpus.PathSegments);
            yield return (Make("hostile-path", new HashSet<int> { 400, 404 }, url: ItemUrl(op, segment),
                body: op.IsWrite && op.HasBody ? ValidBody(op, g, resource) : null));
            yield return (Make("unknown-id", new HashSet<int> { 404 }, url: ItemUrl(op, Guid.NewGuid().ToString()),
                body: op.IsWrite && op.HasBody ? ValidBody(op, g, resource) : null, ifMatch: op.IsWrite && resource != "keys" ? "\"1\"" : null));
            if (pathParam.Name == "idOrSlug" && op.Method == "GET")
                yield return (Make("slug-injection", new HashSet<int> { 404 }, url: ItemPath(op, Uri.EscapeDataString(g.Pick(FuzzCorpus.Injections)))));
        }

        // If-Match on conditional writes.
        if (NeedsIfMatch(op))
        {
            var body = op.HasBody ? ValidBody(op, g, resource) : null;
            yield return (Make("missing-if-match", new HashSet<int> { 428 }, body: body, ifMatch: null));
            var bad = g.Pick(FuzzCorpus.BadIfMatch);
            yield return (Make("bad-if-match", new HashSet<int> { FuzzCorpus.IfMatchAnswer(bad, required: true) }, body: body, ifMatch: bad));
            yield return (Make("stale-if-match", new HashSet<int> { 412 }, body: body, ifMatch: $"\"{currentTarget()!.Version + 1 + g.Rng.Next(1000)}\""));
        }
        if (op.Method == "POST" && op.In("path").Any() && TakesIfMatch(op) && !NeedsIfMatch(op))
        {
            yield return (Make("stale-if-match", new HashSet<int> { 412 }, ifMatch: $"\"{currentTarget()!.Version + 1 + g.Rng.Next(1000)}\""));
            var garbage = g.Pick(FuzzCorpus.BadIfMatch);
            yield return (Make("garbage-if-match", new HashSet<int> { FuzzCorpus.IfMatchAnswer(garbage, required: false) }, ifMatch: garbage));
        }

        if (op.HasBody)
            foreach (var request in BodyMutations(op, g, resource, Make))
                yield return request;
        if (op.In("query").Any())
            foreach (var request in QueryMutations(op, g, Make))
                yield return request;

        // Headers anyone may send.
        if (op.Method == "GET")
        {
            yield return (Make("if-none-match", new HashSet<int> { 200, 304 }, headers: new Dictionary<string, string> { ["If-None-Match"] = g.Pick(new[] { "*", "\"1\"", "W/\"1\"", "garbage", "\"" + new string('9', 500) + "\"" }) }));
            yield return (Make("accept-xml", Ok, headers: new Dictionary<string, string> { ["Accept"] = g.Pick(new[] { "application/xml", "text/html", "*/*;q=0", "image/png" }) }));
            yield return (Make("accept-encoding", Ok, headers: new Dictionary<string, string> { ["Accept-Encoding"] = g.Pick(new[] { "br", "gzip", "deflate, zstd", "identity;q=0", "x;q=" }) }));
        }
        if (op.Method == "POST" && !op.In("path").Any() && !AdminOnly(resource))
        {
            var key = g.Slug("idem");
            var body = g.Body(op.BodySchema!);
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            var first = Make("idempotency-first", Created, body: bytes, headers: new Dictionary<string, string> { ["Idempotency-Key"] = key }) with { Sent = body };
            yield return first;
            yield return first with { Category = "idempotency-replay" };
            var other = g.Body(op.BodySchema!);
            yield return (Make("idempotency-other-body", new HashSet<int> { 422 }, body: Encoding.UTF8.GetBytes(other.ToJsonString()), headers: new Dictionary<string, string> { ["Idempotency-Key"] = key }));
            yield return (Make("idempotency-bad-key", BadRequest, body: Encoding.UTF8.GetBytes(g.Body(op.BodySchema!).ToJsonString()),
                headers: new Dictionary<string, string> { ["Idempotency-Key"] = g.Pick(new[] { new string('k', 256), "a\u0001b", "" }) }));
        }
    }

    private byte[]? ValidBody(Operation op, FuzzGenerator g, string resource) =>
        !op.HasBody ? null : op.Method switch
        {
            "PATCH" => g.Serialize(g.Patch(op.BodySchema!)),
            _ when resource == "keys" => g.Serialize(new JsonObject { ["name"] = g.Text(40), ["role"] = "reader" }),
            _ when op.BodySchema is not null && Contract.RefName(op.BodySchema) == "PublishRequest" => g.Serialize(new JsonObject()),
            _ => g.Serialize(g.Body(op.BodySchema!)),
        };

    private delegate FuzzRequest Maker(string category, IReadOnlySet<int>? expected, string? url = null, byte[]? body = null,
        string? contentType = null, string? authorization = "", string? ifMatch = "", IReadOnlyDictionary<string, string>? headers = null);

    private IEnumerable<FuzzRequest> BodyMutations(Operation op, FuzzGenerator g, string resource, Maker make)
    {
        var patch = op.Method == "PATCH";
        var isPublish = Contract.RefName(op.BodySchema) == "PublishRequest";
        var success = op.Responses.Keys.Where(s => s is >= 200 and < 300).ToHashSet();
        JsonObject Valid() => patch ? g.Patch(op.BodySchema!)
            : resource == "keys" ? new JsonObject { ["name"] = g.Text(40), ["role"] = "reader" }
            : isPublish ? new JsonObject { ["publishedAt"] = g.Timestamp() }
            : g.Body(op.BodySchema!);
        FuzzRequest Json(string category, IReadOnlySet<int> expected, JsonNode body)
        {
            var bytes = g.Serialize(body);
            // Whatever the mutation, a body over the configured limit is refused before anything reads it.
            return make(category, bytes.Length > BodyLimit ? new HashSet<int> { 413 } : expected, body: bytes) with { Sent = body as JsonObject };
        }
        var schema = contract.ObjectOf(op.BodySchema!)!;
        var properties = schema["properties"]!.AsObject().Select(p => p.Key).ToList();
        var required = (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).ToList();
        var stringProperties = properties.Where(p => contract.Resolve(schema["properties"]![p]!) is var s && (string?)s["type"] == "string" && s["format"] is null && contract.EnumOf(schema["properties"]![p]!) is null).ToList();
        // Texts a valid request may carry whatever the target's state: a correction also needs something readers can see (422 otherwise).
        var freeTextProperties = stringProperties.Where(p => p != "correction").ToList();

        // Missing and null required fields.
        if (required.Count > 0)
        {
            var body = Valid();
            var victim = g.Pick(required);
            if (patch) body[victim] = null; else body.Remove(victim);
            yield return Json(patch ? "null-required" : "missing-required", BadRequest, body);
            if (!patch)
            {
                var nulled = Valid();
                nulled[g.Pick(required)] = null;
                yield return Json("null-required", BadRequest, nulled);
            }
        }
        // Unknown and read-only fields (mass assignment).
        {
            var body = Valid();
            var (name, value) = g.Pick(FuzzCorpus.ForbiddenFields);
            body[name] = System.Text.Json.JsonSerializer.SerializeToNode(value);
            yield return Json("forbidden-field", BadRequest, body);
        }
        // Wrong JSON types.
        {
            var body = Valid();
            var victim = g.Pick(properties.Where(p => !p.EndsWith("person", StringComparison.Ordinal)).ToList());
            var propertySchema = contract.Resolve(schema["properties"]![victim]!);
            var kind = (string?)propertySchema["type"] ?? (contract.EnumOf(schema["properties"]![victim]!) is not null ? "string" : "object");
            JsonNode wrong = kind switch
            {
                "string" => g.Pick(new JsonNode[] { 42, true, new JsonArray("a"), new JsonObject { ["a"] = 1 }, 1.5 }),
                "array" => g.Pick(new JsonNode[] { "not an array", 42, new JsonObject { ["0"] = "a" }, true }),
                "integer" => g.Pick(new JsonNode[] { "abc", true, new JsonArray(2), 2.5, new JsonObject() }),
                "boolean" => g.Pick(new JsonNode[] { "yes", 1, new JsonArray() }),
                _ => g.Pick(new JsonNode[] { "a string", 42, new JsonArray(), true }),
            };
            body[victim] = wrong;
            yield return Json("wrong-type", BadRequest, body);
        }
        // Formats and enums.
        foreach (var (name, propertySchema) in schema["properties"]!.AsObject().OrderBy(_ => g.Rng.Next()).Take(3))
        {
            var resolved = contract.Resolve(propertySchema!);
            var body = Valid();
            if (contract.EnumOf(propertySchema!) is { } values)
            {
                // Not one of the names: unknown, other case, padded, or two names joined the way Enum.Parse combines flags.
                body[name] = g.Pick(new[]
                {
                    g.Pick(FuzzCorpus.BadEnumValues), values[^1].ToUpperInvariant(), " " + values[0], values[^1] + " ",
                    string.Join(",", values.Take(2)), string.Join(", ", values.Skip(1).Take(2)),
                });
                yield return Json("bad-enum", BadRequest, body);
            }
            else if ((string?)resolved["format"] == "uuid")
            {
                body[name] = g.Pick(FuzzCorpus.BadUuids);
                yield return Json("bad-uuid", BadRequest, body);
                var dangling = Valid();
                dangling[name] = Guid.NewGuid().ToString();
                yield return Json("dangling-reference", new HashSet<int> { 422 }, dangling);
            }
            else if ((string?)resolved["format"] == "date-time")
            {
                body[name] = g.Pick(FuzzCorpus.BadTimestamps);
                yield return Json("bad-timestamp", BadRequest, body);
                var odd = Valid();
                odd[name] = g.Pick(FuzzCorpus.OddTimestamps);
                yield return Json("odd-timestamp", new HashSet<int>(success) { 400 }, odd);
            }
            else if ((string?)resolved["format"] == "date")
            {
                body[name] = g.Pick(FuzzCorpus.BadDates);
                yield return Json("bad-date", BadRequest, body);
            }
        }
        // Lengths at and around every limit, and far beyond.
        if (freeTextProperties.Count > 0)
        {
            var body = Valid();
            var victim = g.Pick(freeTextProperties);
            var length = g.Pick(FuzzCorpus.BoundaryLengths);
            var unit = g.Pick(new[] { "a", "é", "한", "😀" });
            var value = string.Concat(Enumerable.Repeat(unit, Math.Max(0, length / unit.Length)));
            body[victim] = value;
            yield return Json($"boundary-length", new HashSet<int>(success) { 400, 409 }, body);
            var huge = Valid();
            // A story to import may be 200 KB; past that it is refused like any other oversized string.
            var hugeVictim = g.Pick(stringProperties);
            huge[hugeVictim] = new string('x', op.Id == "ImportStory" && hugeVictim == "text" ? 300_000 : g.Pick(new[] { 100_000, 600_000 }));
            yield return Json("oversize-string", BadRequest, huge);
            var tooBig = Valid();
            tooBig[g.Pick(stringProperties)] = new string('y', 1_100_000);
            yield return Json("over-body-limit", new HashSet<int> { 413 }, tooBig);
        }
        // Every kind of text, including injections: valid, stored verbatim.
        if (freeTextProperties.Count > 0)
        {
            var body = Valid();
            var victim = g.Pick(freeTextProperties);
            body[victim] = g.Pick(FuzzCorpus.Injections);
            yield return Json("injection-string", new HashSet<int>(success) { 400, 409 }, body);
        }
        // NUL, lone surrogates, and raw bytes that are not UTF-8.
        if (stringProperties.Count > 0)
        {
            var victim = g.Pick(stringProperties);
            var body = Valid();
            body[victim] = "PLACEHOLDER-" + victim;
            var json = body.ToJsonString();
            // In a URL field the bad character sits inside an otherwise valid absolute URL, so only it is wrong.
            var prefix = victim.Contains("url", StringComparison.OrdinalIgnoreCase) ? "https://example.org/x" : "x";
            yield return make("bad-escape", BadRequest, body: Encoding.UTF8.GetBytes(json.Replace("PLACEHOLDER-" + victim, prefix + g.Pick(FuzzCorpus.BadEscapes) + "y")));
            var bytes = Encoding.UTF8.GetBytes(json);
            var marker = Encoding.UTF8.GetBytes("PLACEHOLDER-" + victim);
            var at = IndexOf(bytes, marker);
            var spliced = bytes[..at].Concat(g.Pick(FuzzCorpus.InvalidUtf8)).Concat(bytes[(at + marker.Length)..]).ToArray();
            yield return make("bad-utf8", BadRequest, body: spliced);
        }
        // Numbers out of range: the only integer a client sends is a heading's level (2 to 6).
        if (properties.Contains("body"))
        {
            var body = Valid();
            body["body"] = new JsonArray(new JsonObject
            {
                ["type"] = "heading",
                ["text"] = "h",
                ["level"] = System.Text.Json.JsonSerializer.SerializeToNode(g.Pick(FuzzCorpus.BadNumbers)),
            });
            yield return Json("bad-number", BadRequest, body);
        }
        // Malformed JSON, deep nesting, long arrays.
        {
            var malformed = g.Pick(FuzzCorpus.MalformedBodies);
            // POST /publish takes an optional body: nothing, or JSON null, is simply no body.
            var optional = isPublish && (malformed.Length == 0 || Encoding.UTF8.GetString(malformed) == "null");
            yield return make("malformed-json", optional ? new HashSet<int> { 200, 400 } : BadRequest, body: malformed);
        }
        {
            var depth = g.Pick(new[] { 33, 64, 1000, 100_000 });
            var nested = g.Chance(0.5) ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            var body = Valid().ToJsonString();
            var deep = "{\"" + (properties.FirstOrDefault(p => contract.Resolve(schema["properties"]![p]!)["type"]?.ToString() == "array") ?? "extra") + "\":" + nested + "," + body[1..];
            yield return make("deep-json", BadRequest, body: Encoding.UTF8.GetBytes(deep));
        }
        foreach (var arrayProperty in properties.Where(p => (string?)contract.Resolve(schema["properties"]![p]!)["type"] == "array"))
        {
            var body = Valid();
            var count = g.Pick(new[] { 51, 201, 501, 20_000 });
            body[arrayProperty] = arrayProperty switch
            {
                "tags" or "aliases" => new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)("t" + i.ToString(CultureInfo.InvariantCulture))).ToArray()),
                "body" => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["type"] = "paragraph", ["text"] = "p" }).ToArray()),
                "people" => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["personId"] = Guid.NewGuid().ToString(), ["role"] = "mentioned" }).ToArray()),
                "sources" => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["sourceId"] = Guid.NewGuid().ToString(), ["relation"] = "cited" }).ToArray()),
                "roles" => new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["title"] = "r" + i.ToString(CultureInfo.InvariantCulture) }).ToArray()),
                _ => new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)Guid.NewGuid().ToString()).ToArray()),
            };
            // Caps: 50 tags or aliases, 200 people or sources, 500 blocks, quotes or articles. Under a cap, random ids
            // point nowhere (422) and paragraphs are simply a long body.
            var cap = arrayProperty switch { "tags" or "aliases" or "roles" => 50, "people" or "sources" => 200, _ => 500 };
            // A webhook names at most 20 events, and random ids are no event at all.
            IReadOnlySet<int> expected = count > cap || arrayProperty == "events" ? BadRequest : arrayProperty == "body" ? success : new HashSet<int> { 422 };
            yield return Json("long-array", expected, body);
        }
        // Body blocks: unknown, missing or misplaced discriminators.
        if (properties.Contains("body"))
        {
            var body = Valid();
            var block = g.Pick(new JsonNode[]
            {
                new JsonObject { ["type"] = "video", ["url"] = "https://x" },
                new JsonObject { ["text"] = "no type" },
                new JsonObject { ["type"] = 1, ["text"] = "numeric type" },
                new JsonObject { ["$type"] = "paragraph", ["text"] = "metadata name" },
                new JsonObject { ["type"] = "paragraph", ["text"] = "extra", ["html"] = "<b>x</b>" },
                new JsonObject { ["type"] = "heading", ["text"] = "h", ["level"] = 9 },
                new JsonObject { ["type"] = "image", ["url"] = "javascript:alert(1)", ["alt"] = "x" },
                new JsonObject { ["type"] = "PARAGRAPH", ["text"] = "case" },
            });
            body["body"] = new JsonArray(block);
            yield return Json("bad-block", BadRequest, body);
            var late = Valid();
            late["body"] = new JsonArray(new JsonObject { ["text"] = "type comes last", ["type"] = "paragraph" });
            yield return Json("late-discriminator", success, late);
        }
        // Content types.
        // Wrong for this operation: an import takes text/plain too.
        var notAccepted = FuzzCorpus.BadContentTypes.Where(t => !op.AcceptedContentTypes.Contains(t.Split(';')[0])).ToArray();
        yield return make("wrong-content-type", new HashSet<int> { 415 }, body: g.Serialize(Valid()), contentType: g.Pick(notAccepted));
        if (patch)
            yield return make("json-instead-of-merge-patch", new HashSet<int> { 415 }, body: g.Serialize(Valid()), contentType: "application/json");
        if (!isPublish)
        {
            yield return make("no-content-type", new HashSet<int> { 415 }, body: g.Serialize(Valid()), contentType: null) with { ContentType = null };
            yield return make("empty-body", BadRequest, body: [], contentType: op.BodyContentType);
        }
    }

    private IEnumerable<FuzzRequest> QueryMutations(Operation op, FuzzGenerator g, Maker make)
    {
        var path = op.In("path").Any() ? ValidGetUrl(op, g).Url.Split('?')[0] : op.Path;
        // Required parameters stay (a diff's to=), so each request is wrong only in what its mutation changes.
        var required = string.Concat(op.In("query").Where(p => p.Required).Select(p => $"{p.Name}={g.QueryValue(op, p)}&"));
        FuzzRequest Q(string category, IReadOnlySet<int> expected, string query) => make(category, expected, url: path + "?" + required + query);
        var names = op.In("query").Select(p => p.Name).ToHashSet();

        yield return Q("unknown-parameter", BadRequest, g.Pick(new[] { "foo=1", "offset=10", "page=2", "debug=true", "include_drafts=1", "q%00=1", "%ED%A0%80=1" }));
        if (names.Contains("limit"))
        {
            yield return Q("bad-limit", BadRequest, "limit=" + g.Pick(new[] { "0", "-1", Resource(op) == "sync" ? "501" : "101", "1000", "2147483648", "abc", "1.5", "1e2", "0x10", "%00" }));
            yield return Q("repeated-parameter", BadRequest, "limit=1&limit=2");
        }
        foreach (var p in op.In("query").Where(p => (string?)p.Schema["format"] == "uuid"))
            yield return Q("bad-uuid", BadRequest, $"{p.Name}={Uri.EscapeDataString(g.Pick(FuzzCorpus.BadUuids.Where(u => u.Length > 0).ToList()))}");
        foreach (var p in op.In("query").Where(p => (string?)p.Schema["format"] is "date-time" or "date"))
            yield return Q("bad-timestamp", BadRequest, $"{p.Name}={Uri.EscapeDataString(g.Pick(new[] { "yesterday", "2023-13-45", "1694000000x", "2023-02-30", "%00" }))}");
        if (names.Contains("cursor"))
        {
            var cursor = world.Cursors.GetValueOrDefault(op.Id) ?? world.Cursors.Values.First();
            var tampered = g.Pick(new[]
            {
                TestData.Tamper(cursor), cursor[..(cursor.Length / 2)], cursor + "x", "garbage", ".", "a.b", new string('A', 3000),
                Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"S\":\"articles:-publishedAt\",\"K\":\"2000-01-01\",\"I\":\"00000000-0000-0000-0000-000000000000\"}")) + ".AAAA",
                world.Cursors.Where(c => c.Key != op.Id).Select(c => c.Value).DefaultIfEmpty("x.y").First(),
                world.SyncToken,
            });
            yield return Q("tampered-cursor", BadRequest, "cursor=" + Uri.EscapeDataString(tampered));
        }
        if (names.Contains("since"))
        {
            var token = g.Pick(new[] { TestData.Tamper(world.SyncToken), world.Cursors.Values.First(), "garbage", new string('A', 1500), world.SyncToken + "x" });
            yield return Q("tampered-token", BadRequest, "since=" + Uri.EscapeDataString(token));
        }
        if (names.Contains("q"))
        {
            yield return Q("injection-q", new HashSet<int> { 200, 400 }, "q=" + Uri.EscapeDataString(g.Pick(FuzzCorpus.Injections)));
            yield return Q("unicode-q", new HashSet<int> { 200, 400 }, "q=" + Uri.EscapeDataString(g.Text(80)));
            yield return Q("bad-q", BadRequest, "q=" + g.Pick(new[] { "%00", "a%00b", "%20%20", new string('q', 201) }));
            yield return Q("undecodable-q", new HashSet<int> { 200, 400 }, "q=" + g.Pick(new[] { "%ED%A0%80", "%C3%28", "%FF", "%E2%82", "%%", "%zz" }));
        }
        if (names.Contains("include"))
            yield return Q("bad-include", BadRequest, "include=" + Uri.EscapeDataString(g.Pick(new[] { "secrets", "quotes.speaker.source", "QUOTES", "*", "apiKeys", new string('i', 300), "quotes;drop" })));
        if (names.Contains("fields"))
            yield return Q("bad-fields", BadRequest, "fields=" + Uri.EscapeDataString(g.Pick(new[] { "keyHash", "key_hash", "search", "publishedSort", "published_sort", "everPublic", "password", ",", "Title" })));
        foreach (var p in op.In("query").Where(p => p.Name is "status" or "sort" or "kind"))
            yield return Q("bad-enum", BadRequest, $"{p.Name}={Uri.EscapeDataString(g.Pick(FuzzCorpus.BadEnumValues.Where(v => v.Length > 0).ToList()))}");
        foreach (var p in op.In("query").Where(p => p.Name is "tag" or "language"))
            yield return Q("injection-filter", new HashSet<int> { 200, 400 }, $"{p.Name}={Uri.EscapeDataString(g.Pick(FuzzCorpus.Injections))}");
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        throw new InvalidOperationException("marker not found");
    }
}
