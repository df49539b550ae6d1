using System.Net;
using System.Text.Json.Nodes;
using ContentApi.Tests.Delivery;
using Npgsql;

namespace ContentApi.Tests.Revisions;

/// <summary>History, diff, restore and undelete of all four types through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class RevisionTests(ContentApiFactory factory)
{
    private static readonly string[] Types = ["articles", "quotes", "people", "sources"];

    private readonly HttpClient admin = factory.Admin();

    private sealed record Editor(HttpClient Client, Guid KeyId, string Name, string Key);

    private async Task<Editor> NewEditor()
    {
        var name = "editor-" + Guid.NewGuid().ToString("N")[..8];
        var (id, key) = await admin.CreateKey("editor", name);
        return new Editor(factory.WithKey(key), id, name, key);
    }

    private Guid? speaker;

    private async Task<object> Body(string type, string variant) => type switch
    {
        "people" => new { slug = TestData.Slug("person"), name = "Orang " + variant, aliases = Array.Empty<string>(), title = "Menteri" },
        "sources" => new { slug = TestData.Slug("source"), name = "Sumber " + variant, kind = "agency", url = "https://example.org", country = "GB" },
        "quotes" => new { text = "Kata " + variant, language = "id", type = "direct", speakerId = speaker ??= (await admin.CreatePerson()).Id(), articleIds = Array.Empty<Guid>() },
        _ => TestData.Article(title: "Judul " + variant),
    };

    private static object PatchBody(string type, string variant) => type switch
    {
        "quotes" => new { text = "Kata " + variant },
        "articles" => new { title = "Judul " + variant },
        _ => new { name = "Nama " + variant },
    };

    private static async Task<JsonArray> Revisions(HttpClient client, string type, Guid id) =>
        (await client.GetOk($"/v1/{type}/{id}/revisions?limit=100"))["items"]!.AsArray();

    private static async Task<JsonObject> Revision(HttpClient client, string type, Guid id, int version) =>
        await client.GetOk($"/v1/{type}/{id}/revisions/{version}");

    private async Task<(Guid Id, JsonObject State)> Create(HttpClient client, string type, string variant = "a")
    {
        var created = await client.PostOk($"/v1/{type}", await Body(type, variant));
        return (created.Id(), created);
    }

    private static int Version(JsonNode n) => (int)n["version"]!;

    /// <summary>What one write route does to a fresh item, and the revision it must leave: (id, version, op, state).</summary>
    private async Task<(Guid Id, int Version, string Op, JsonNode State)> Run(string method, string suffix, string type, HttpClient client)
    {
        if (method == "POST" && suffix == "")
        {
            var (id, state) = await Create(client, type);
            return (id, 1, "create", state);
        }
        var (itemId, current) = await Create(client, type);
        var url = $"/v1/{type}/{itemId}";
        var etag = TestData.Etag(Version(current));
        switch (method, suffix)
        {
            case ("PUT", "/{id:guid}"):
                var put = await (await client.Put(url, await Body(type, "b"), etag)).Json();
                return (itemId, 2, "update", put);
            case ("PATCH", "/{id:guid}"):
                var patched = await (await client.Patch(url, PatchBody(type, "c"), etag)).Json();
                return (itemId, 2, "update", patched);
            case ("DELETE", "/{id:guid}"):
                Assert.Equal(HttpStatusCode.NoContent, (await client.Delete(url, etag)).StatusCode);
                return (itemId, 2, "delete", current);
            case ("POST", "/{id:guid}/publish"):
                var published = await (await client.Send(HttpMethod.Post, url + "/publish", new { }, etag)).Json();
                return (itemId, 2, "publish", published);
            case ("POST", "/{id:guid}/unpublish"):
                var unpublished = await (await client.Send(HttpMethod.Post, url + "/unpublish", null, etag)).Json();
                return (itemId, 2, "unpublish", unpublished);
            case ("POST", "/{id:guid}/revisions/{version:int}/restore"):
                await (await client.Patch(url, PatchBody(type, "d"), etag)).Json();
                var restored = await (await client.Send(HttpMethod.Post, url + "/revisions/1/restore", null, TestData.Etag(2))).Json();
                return (itemId, 3, "restore", restored);
            case ("POST", "/{id:guid}/restore"):
                Assert.Equal(HttpStatusCode.NoContent, (await client.Delete(url, etag)).StatusCode);
                var undeleted = await (await client.Send(HttpMethod.Post, url + "/restore")).Json();
                return (itemId, 3, "undelete", undeleted);
            default:
                throw new InvalidOperationException($"No case for {method} {suffix}: add it to RevisionTests.Run.");
        }
    }

    private static readonly (string Method, string Suffix)[] WriteRoutes =
    [
        ("POST", ""), ("PUT", "/{id:guid}"), ("PATCH", "/{id:guid}"), ("DELETE", "/{id:guid}"),
        ("POST", "/{id:guid}/publish"), ("POST", "/{id:guid}/unpublish"),
        ("POST", "/{id:guid}/revisions/{version:int}/restore"), ("POST", "/{id:guid}/restore"),
    ];

    [Fact]
    public async Task EveryWriteRouteOfEveryType_RecordsTheNewStateWithWhoAndWhat()
    {
        // The cases come from the route table: a write route these tests do not know fails here until it has one.
        var table = DeliveryTestKit.V1Routes(factory.Services)
            .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .Where(r => Types.Any(t => r.Pattern == $"/v1/{t}" || r.Pattern.StartsWith($"/v1/{t}/", StringComparison.Ordinal)))
            .Select(r => (r.Method, r.Pattern)).ToHashSet();
        var known = Types.SelectMany(t => WriteRoutes.Select(w => (w.Method, Pattern: $"/v1/{t}{w.Suffix}"))).ToHashSet();
        var unknown = table.Except(known).ToList();
        Assert.True(unknown.Count == 0, "write routes without a revision case: " + string.Join(", ", unknown));

        var editor = await NewEditor();
        var failures = new List<string>();
        foreach (var (method, pattern) in table.OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal))
        {
            var type = Types.Single(t => pattern == $"/v1/{t}" || pattern.StartsWith($"/v1/{t}/", StringComparison.Ordinal));
            var suffix = pattern[$"/v1/{type}".Length..];
            var (id, version, op, state) = await Run(method, suffix, type, editor.Client);
            var list = await Revisions(editor.Client, type, id);
            var newest = list[0]!.AsObject();
            var versions = list.Select(i => Version(i!)).ToList();
            var where = $"{method} {pattern}";
            if (Version(newest) != version) failures.Add($"{where}: newest revision {Version(newest)}, expected {version}");
            if ((string?)newest["op"] != op) failures.Add($"{where}: op {(string?)newest["op"]}, expected {op}");
            if (!versions.SequenceEqual(Enumerable.Range(1, version).Reverse())) failures.Add($"{where}: versions {string.Join(",", versions)}");
            if ((string?)newest["changedBy"]!["keyId"] != editor.KeyId.ToString() || (string?)newest["changedBy"]!["name"] != editor.Name)
                failures.Add($"{where}: changedBy {newest["changedBy"]!.ToJsonString()}");
            var revision = await Revision(editor.Client, type, id, version);
            if (!JsonNode.DeepEquals(revision["state"], state))
                failures.Add($"{where}: state {revision["state"]!.ToJsonString()} is not what the write returned {state.ToJsonString()}");
            if (revision.ToJsonString().Contains(editor.Key, StringComparison.Ordinal)) failures.Add($"{where}: the key itself is in the revision");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task FailedWrites_LeaveNoRevision()
    {
        foreach (var type in Types)
        {
            var (id, created) = await Create(admin, type);
            var url = $"/v1/{type}/{id}";
            // Validation (400), a stale If-Match (412), a missing one (428), a reference to nothing (422).
            object invalid = type switch { "quotes" => new { text = "" }, "articles" => new { title = "" }, _ => new { slug = "Not A Slug!" } };
            await (await admin.Patch(url, invalid, TestData.Etag(1))).Problem(HttpStatusCode.BadRequest, "validation_failed");
            await (await admin.Put(url, await Body(type, "x"), TestData.Etag(7))).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
            await (await admin.Put(url, await Body(type, "x"), null)).Problem(HttpStatusCode.PreconditionRequired, "precondition_required");
            if (type is "quotes" or "articles")
            {
                var dangling = type == "quotes" ? (object)new { speakerId = Guid.NewGuid() } : new { quoteIds = new[] { Guid.NewGuid() } };
                await (await admin.Patch(url, dangling, TestData.Etag(1))).Problem(HttpStatusCode.UnprocessableEntity, "validation_failed");
            }
            var list = await Revisions(admin, type, id);
            Assert.Single(list);
            Assert.Equal("create", (string?)list[0]!["op"]);
            Assert.Equal(1, Version(await admin.GetOk(url)));
            Assert.Equal(1, Version(created));
        }
    }

    [Fact]
    public async Task FiftyConcurrentEditors_LeaveOneRevisionPerSuccessfulWrite_Gapless()
    {
        var (id, _) = await Create(admin, "articles");
        var editors = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => NewEditor()));
        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var client = editors[i % editors.Length].Client;
            for (var attempt = 0; ; attempt++)
            {
                var version = Version(await client.GetOk($"/v1/articles/{id}"));
                var response = await client.Patch($"/v1/articles/{id}", new { title = $"Judul {i}" }, TestData.Etag(version));
                if (response.StatusCode != HttpStatusCode.PreconditionFailed || attempt == 3)
                    return response.StatusCode;
            }
        }));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.PreconditionFailed, s.ToString()));
        var successes = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.True(successes > 0);
        var finalVersion = Version(await admin.GetOk($"/v1/articles/{id}"));
        Assert.Equal(1 + successes, finalVersion);

        var versions = new List<int>();
        string? cursor = null;
        do
        {
            var page = await admin.GetOk($"/v1/articles/{id}/revisions?limit=7" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            versions.AddRange(page["items"]!.AsArray().Select(i => Version(i!)));
            cursor = (string?)page["nextCursor"];
        } while (cursor is not null);
        Assert.Equal(Enumerable.Range(1, finalVersion).Reverse(), versions);
    }

    [Fact]
    public async Task Diff_IsReadableJsonPatch_AndRestoreOfVersion1EqualsIt()
    {
        var body = new object[]
        {
            new { type = "paragraph", text = "Paragraf satu." },
            new { type = "paragraph", text = "Paragraf dua, sebelum." },
            new { type = "paragraph", text = "Paragraf tiga." },
        };
        var created = await admin.CreateArticle(TestData.Article(body: body, title: "Judul awal"));
        var id = created.Id();
        var edited = new object[] { body[0], new { type = "paragraph", text = "Paragraf dua, sesudah." }, body[2], new { type = "heading", text = "Baru", level = 2 } };
        await (await admin.Patch($"/v1/articles/{id}", new { title = "Judul baru", body = edited, summary = (string?)null }, TestData.Etag(1))).Json();

        var response = await admin.GetAsync($"/v1/articles/{id}/revisions/1/diff?to=2");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var diff = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(1, (int)diff["from"]!);
        Assert.Equal(2, (int)diff["to"]!);
        var patch = diff["patch"]!.AsArray();
        var ops = patch.Select(o => ((string)o!["op"]!, (string)o["path"]!)).ToList();
        Assert.Contains(("replace", "/body/1/text"), ops);
        Assert.Contains(("add", "/body/3"), ops);
        Assert.Contains(("replace", "/title"), ops);
        Assert.Contains(("replace", "/summary"), ops);
        Assert.DoesNotContain(ops, o => o.Item2 == "/body");
        Assert.Equal("Paragraf dua, sesudah.", (string?)patch.Single(o => (string)o!["path"]! == "/body/1/text")!["value"]);
        // A null is a value: replace to null must carry "value": null.
        Assert.True(patch.Single(o => (string)o!["path"]! == "/summary")!.AsObject().ContainsKey("value"));

        var v1 = (await Revision(admin, "articles", id, 1))["state"];
        var v2 = (await Revision(admin, "articles", id, 2))["state"];
        Assert.True(JsonNode.DeepEquals(v2, JsonPatchApplier.Apply(v1, patch)), "patch(v1) != v2");
        var back = (await admin.GetOk($"/v1/articles/{id}/revisions/2/diff?to=1"))["patch"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(v1, JsonPatchApplier.Apply(v2, back)), "patch(v2) != v1");

        await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/revisions/1/restore")).Problem(HttpStatusCode.PreconditionRequired, "precondition_required");
        await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/revisions/1/restore", null, TestData.Etag(1))).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/revisions/9/restore", null, TestData.Etag(2))).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/v1/articles/{id}/revisions/1/diff?to=9")).Problem(HttpStatusCode.NotFound, "not_found");
        var restore = await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/revisions/1/restore", null, TestData.Etag(2));
        var restored = await restore.Json();
        Assert.Equal("\"3\"", restore.ETag());
        var now = await admin.GetOk($"/v1/articles/{id}");
        Assert.Equal(3, Version(now));
        Assert.True(JsonNode.DeepEquals(now, restored));
        foreach (var node in new[] { now, v1!.AsObject() }) { node.Remove("version"); node.Remove("updatedAt"); }
        Assert.True(JsonNode.DeepEquals(v1, now), $"{v1.ToJsonString()}\n{now.ToJsonString()}");
        Assert.Equal("restore", (string?)(await Revisions(admin, "articles", id))[0]!["op"]);
    }

    [Fact]
    public async Task Restore_OfAnArticleWhoseQuoteWasSinceDeleted_Is422NamingQuoteIds()
    {
        var quote = await admin.CreateQuote((await admin.CreatePerson()).Id());
        var article = await admin.CreateArticle(TestData.Article(quoteIds: [quote.Id()]));
        var id = article.Id();
        await (await admin.Patch($"/v1/articles/{id}", new { quoteIds = Array.Empty<Guid>() }, TestData.Etag(1))).Json();
        var quoteVersion = Version(await admin.GetOk($"/v1/quotes/{quote.Id()}"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/quotes/{quote.Id()}", TestData.Etag(quoteVersion))).StatusCode);

        var problem = await (await admin.Send(HttpMethod.Post, $"/v1/articles/{id}/revisions/1/restore", null, TestData.Etag(2)))
            .ValidationProblem("quoteIds", HttpStatusCode.UnprocessableEntity);
        Assert.Contains(quote.Id().ToString(), problem.ToJsonString());
        Assert.Equal(2, Version(await admin.GetOk($"/v1/articles/{id}")));
        Assert.Equal(2, (await Revisions(admin, "articles", id)).Count);
    }

    [Fact]
    public async Task Restore_OfASlugSinceTaken_Is409SlugTaken()
    {
        var slug = TestData.Slug("taken");
        var person = await admin.PostOk("/v1/people", new { slug, name = "Pertama" });
        await (await admin.Patch($"/v1/people/{person.Id()}", new { slug = TestData.Slug("moved") }, TestData.Etag(1))).Json();
        await admin.PostOk("/v1/people", new { slug, name = "Kedua" });
        await (await admin.Send(HttpMethod.Post, $"/v1/people/{person.Id()}/revisions/1/restore", null, TestData.Etag(2)))
            .Problem(HttpStatusCode.Conflict, "slug_taken");
        Assert.Equal(2, (await Revisions(admin, "people", person.Id())).Count);
    }

    [Fact]
    public async Task LinkChanges_AreNewVersionsOfBothSides()
    {
        var (articleId, _) = await Create(admin, "articles");
        var quote = await admin.CreateQuote((await admin.CreatePerson()).Id(), articleIds: [articleId]);
        var articleRevisions = await Revisions(admin, "articles", articleId);
        Assert.Equal([2, 1], articleRevisions.Select(r => Version(r!)));
        Assert.Equal("update", (string?)articleRevisions[0]!["op"]);
        var state = (await Revision(admin, "articles", articleId, 2))["state"]!;
        Assert.Equal(quote.Id().ToString(), (string?)state["quoteIds"]![0]);

        await (await admin.Patch($"/v1/articles/{articleId}", new { quoteIds = Array.Empty<Guid>() }, TestData.Etag(2))).Json();
        var quoteRevisions = await Revisions(admin, "quotes", quote.Id());
        Assert.Equal([2, 1], quoteRevisions.Select(r => Version(r!)));
        Assert.Empty((await Revision(admin, "quotes", quote.Id(), 2))["state"]!["articleIds"]!.AsArray());
    }

    [Fact]
    public async Task Undelete_BringsBackTheSameIdAsTheNextVersion_WithinRetentionOnly()
    {
        foreach (var type in Types)
        {
            var (id, created) = await Create(admin, type);
            var url = $"/v1/{type}/{id}";
            await (await admin.Send(HttpMethod.Post, url + "/restore")).Problem(HttpStatusCode.Conflict, "conflict");
            Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete(url, TestData.Etag(1))).StatusCode);
            await (await admin.GetAsync(url)).Problem(HttpStatusCode.NotFound, "not_found");
            // The history of a deleted item stays readable, its last state included.
            var deleted = await Revision(admin, type, id, 2);
            Assert.Equal("delete", (string?)deleted["op"]);
            Assert.True(JsonNode.DeepEquals(created, deleted["state"]));

            var response = await admin.Send(HttpMethod.Post, url + "/restore");
            var back = await response.Json();
            Assert.Equal(id, back.Id());
            Assert.Equal(3, Version(back));
            Assert.Equal(3, Version(await admin.GetOk(url)));
            Assert.Equal("undelete", (string?)(await Revisions(admin, type, id))[0]!["op"]);
            await using (var conn = new NpgsqlConnection(factory.ConnectionString))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("select deleted, version from sync_changes where id = @id", conn);
                cmd.Parameters.AddWithValue("id", id);
                await using var reader = await cmd.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.False(reader.GetBoolean(0));
                Assert.Equal(3, reader.GetInt32(1));
            }

            // Past the retention window the last state is still history, but no longer brought back.
            Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete(url, TestData.Etag(3))).StatusCode);
            await using (var conn = new NpgsqlConnection(factory.ConnectionString))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("update revisions set changed_at = now() - interval '31 days' where id = @id and version = 4", conn);
                cmd.Parameters.AddWithValue("id", id);
                Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
            }
            await (await admin.Send(HttpMethod.Post, url + "/restore")).Problem(HttpStatusCode.NotFound, "not_found");
        }
        await (await admin.Send(HttpMethod.Post, $"/v1/people/{Guid.NewGuid()}/restore")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task EveryRevisionRoute_Is401Anonymous_403ForReaders_AndOpenToEditors()
    {
        var routes = DeliveryTestKit.V1Routes(factory.Services)
            .Where(r => r.Pattern.Contains("/revisions", StringComparison.Ordinal) || r.Pattern.EndsWith("/restore", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(Types.Length * 5, routes.Count);
        var reader = factory.WithKey((await admin.CreateKey("reader")).Key);
        var anonymous = factory.Anonymous();
        var published = await admin.CreatePublishedArticle();
        var ids = new Dictionary<string, Guid> { ["articles"] = published.Id() };
        foreach (var type in Types.Skip(1)) ids[type] = (await Create(admin, type)).Id;
        foreach (var route in routes)
        {
            var id = ids[route.Pattern.Split('/')[2]];
            var url = route.Pattern.Replace("{id:guid}", id.ToString()).Replace("{version:int}", "1") + (route.Pattern.EndsWith("/diff") ? "?to=1" : "");
            var method = new HttpMethod(route.Method);
            await (await anonymous.Send(method, url)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
            await (await reader.Send(method, url)).Problem(HttpStatusCode.Forbidden, "forbidden");
            if (route.Method == "GET")
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).StatusCode);
        }
        // Readers' own answers carry no history.
        var text = await (await anonymous.GetAsync($"/v1/articles/{published.Id()}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("changedBy", text);
    }

    [Fact]
    public async Task List_OfAnUnknownItem_Is404_AndABadCursorOrLimit400()
    {
        await (await admin.GetAsync($"/v1/quotes/{Guid.NewGuid()}/revisions")).Problem(HttpStatusCode.NotFound, "not_found");
        var (id, _) = await Create(admin, "sources");
        await (await admin.GetAsync($"/v1/sources/{id}/revisions?cursor=abc")).ValidationProblem("cursor");
        await (await admin.GetAsync($"/v1/sources/{id}/revisions?limit=0")).ValidationProblem("limit");
        await (await admin.GetAsync($"/v1/sources/{id}/revisions?nope=1")).ValidationProblem("nope");
        await (await admin.GetAsync($"/v1/sources/{id}/revisions/2")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Prune_KeepsTheNewestRevisionsPerItem_AndTouchesNoOtherItem()
    {
        var (id, _) = await Create(admin, "people");
        var (other, _) = await Create(admin, "people");
        for (var v = 1; v <= 4; v++)
            await (await admin.Patch($"/v1/people/{id}", new { name = $"Nama {v}" }, TestData.Etag(v))).Json();
        await (await admin.Patch($"/v1/people/{other}", new { name = "Lain" }, TestData.Etag(1))).Json();
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        var pruned = 0;
        for (int n; (n = await new ContentApi.Revisions.RevisionRepository(dataSource).PruneAsync(2, CancellationToken.None)) > 0;)
            pruned += n;
        Assert.True(pruned >= 3, $"pruned {pruned}");
        Assert.Equal([5, 4], (await Revisions(admin, "people", id)).Select(r => Version(r!)));
        Assert.Equal([2, 1], (await Revisions(admin, "people", other)).Select(r => Version(r!)));
    }
}
