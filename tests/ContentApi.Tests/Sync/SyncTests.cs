using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace ContentApi.Tests.Sync;

/// <summary>An offline client of the sync feed, as a mobile app would keep it: (type, id) -> version.</summary>
public sealed class SyncClient(HttpClient http)
{
    public Dictionary<(string Type, Guid Id), int> State { get; } = [];
    public Dictionary<(string Type, Guid Id), JsonObject> Data { get; } = [];
    public string? Token { get; set; }

    /// <summary>
    /// Syncs again and again until <paramref name="done"/> holds. The feed's horizon is cluster-wide: a transaction
    /// left open in any database on the server (other tests run in parallel) holds changes back, never skips them.
    /// </summary>
    public async Task<List<JsonObject>> SyncUntilAsync(Func<List<JsonObject>, Task<bool>> done, int limit = 50)
    {
        var all = new List<JsonObject>();
        for (var attempt = 0; attempt < 150; attempt++)
        {
            all.AddRange(await SyncToEndAsync(limit));
            if (await done(all)) return all;
            await Task.Delay(200);
        }
        return all;
    }

    public async Task<List<JsonObject>> SyncToEndAsync(int limit = 50)
    {
        var seen = new List<JsonObject>();
        for (var page = 0; page < 10_000; page++)
        {
            var url = "/v1/sync?limit=" + limit + (Token is null ? "" : "&since=" + Uri.EscapeDataString(Token));
            var body = await http.GetOk(url);
            foreach (var item in body["items"]!.AsArray().Select(i => i!.AsObject()))
            {
                seen.Add(item);
                var key = ((string)item["type"]!, item.Id());
                if ((string)item["op"]! == "upsert")
                {
                    State[key] = (int)item["version"]!;
                    Data[key] = item["data"]!.AsObject();
                }
                else
                {
                    State.Remove(key);
                    Data.Remove(key);
                }
            }
            Token = (string)body["nextToken"]!;
            if (!(bool)body["hasMore"]!) return seen;
        }
        throw new InvalidOperationException("sync did not end");
    }
}

public sealed class SyncTests : IAsyncLifetime
{
    // Its own database: the simulation compares the client with everything a reader can see.
    private readonly ContentApiFactory factory = new();

    public Task InitializeAsync() => factory.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    // How long until a moment, never negative (Task.Delay throws on a negative wait).
    private static TimeSpan Later(DateTime at) => TimeSpan.FromTicks(Math.Max(0, (at - DateTime.UtcNow).Ticks));

    private static bool Same(Dictionary<(string, Guid), int> a, Dictionary<(string, Guid), int> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);

    private static void AssertSameState(Dictionary<(string, Guid), int> expected, Dictionary<(string, Guid), int> actual)
    {
        var missing = expected.Where(e => !actual.ContainsKey(e.Key)).Select(e => $"missing {e.Key} v{e.Value}");
        var extra = actual.Where(a => !expected.ContainsKey(a.Key)).Select(a => $"extra {a.Key} v{a.Value}");
        var stale = expected.Where(e => actual.TryGetValue(e.Key, out var v) && v != e.Value).Select(e => $"version {e.Key} client v{actual[e.Key]} server v{e.Value}");
        var problems = missing.Concat(extra).Concat(stale).ToList();
        Assert.True(problems.Count == 0, "client state differs from what readers see:\n" + string.Join("\n", problems));
    }

    /// <summary>Everything a reader can list, as (type, id) -> version.</summary>
    private static async Task<Dictionary<(string, Guid), int>> ReaderVisibleAsync(HttpClient reader)
    {
        var all = new Dictionary<(string, Guid), int>();
        foreach (var (type, path) in new[] { ("article", "articles"), ("quote", "quotes"), ("person", "people"), ("source", "sources") })
        {
            string? cursor = null;
            do
            {
                var page = await reader.GetOk($"/v1/{path}?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                foreach (var item in page["items"]!.AsArray())
                    all[(type, item!.Id())] = (int)item!["version"]!;
                cursor = (string?)page["nextCursor"];
            } while (cursor is not null);
        }
        return all;
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task MobileClient_OfflineWhileEditorsWriteConcurrently_EndsWithExactlyTheReaderVisibleState()
    {
        var editor = factory.Admin();
        var reader = factory.Anonymous();
        var speaker = (await editor.CreatePerson("Jake Sullivan", "Sullivan")).Id();
        var source = (await editor.CreateSource("AFP")).Id();
        var published = new List<JsonObject>();
        for (var i = 0; i < 6; i++)
        {
            var quote = (await editor.CreateQuote(speaker, source, text: $"Kutipan awal {i}")).Id();
            published.Add(await editor.CreatePublishedArticle([quote], $"Artikel {i}"));
        }
        var drafts = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
            drafts.Add(await editor.CreateArticle(TestData.Article(title: $"Draf {i}")));

        var client = new SyncClient(reader);
        await client.SyncUntilAsync(async _ => Same(await ReaderVisibleAsync(reader), client.State), limit: 7);
        AssertSameState(await ReaderVisibleAsync(reader), client.State);

        // Offline: several editors at once create, edit, unpublish, publish, schedule and delete.
        var scheduledAt = DateTime.UtcNow.AddSeconds(3);
        var writers = new List<Task>
        {
            Task.Run(async () =>
            {
                for (var i = 0; i < 5; i++)
                {
                    var q = (await editor.CreateQuote(speaker, source, text: $"Kutipan baru {i}")).Id();
                    await editor.CreatePublishedArticle([q], $"Baru {i}");
                }
            }),
            Task.Run(async () =>
            {
                foreach (var a in published.Take(3))
                {
                    var r = await editor.SendAsync(TestData.Request(HttpMethod.Patch, $"/v1/articles/{a.Id()}",
                        new { title = "Judul diubah" }, TestData.Etag((int)a["version"]!), "application/merge-patch+json"));
                    Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                }
            }),
            Task.Run(async () =>
            {
                var r = await editor.PostAsync($"/v1/articles/{published[3].Id()}/unpublish", null);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                var current = await editor.GetAsync($"/v1/articles/{published[4].Id()}");
                r = await editor.SendAsync(TestData.Request(HttpMethod.Delete, $"/v1/articles/{published[4].Id()}", ifMatch: current.ETag()));
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            }),
            Task.Run(async () =>
            {
                var r = await editor.PostAsync($"/v1/articles/{drafts[0].Id()}/publish", null);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                r = await editor.PostAsync($"/v1/articles/{drafts[1].Id()}/publish",
                    System.Net.Http.Json.JsonContent.Create(new { publishedAt = scheduledAt }));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                var person = await editor.CreatePerson("Kamala Harris");
                r = await editor.SendAsync(TestData.Request(HttpMethod.Patch, $"/v1/people/{person.Id()}",
                    new { title = "Wakil Presiden AS" }, "\"1\"", "application/merge-patch+json"));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }),
            // The client syncs while the editors are still writing.
            Task.Run(async () => { await Task.Delay(50); await client.SyncToEndAsync(limit: 5); }),
        };
        await Task.WhenAll(writers);

        await client.SyncUntilAsync(async _ => Same(await ReaderVisibleAsync(reader), client.State), limit: 5);
        var visible = await ReaderVisibleAsync(reader);
        AssertSameState(visible, client.State);
        Assert.DoesNotContain(("article", drafts[1].Id()), client.State.Keys); // scheduled, not yet due
        Assert.DoesNotContain(("article", drafts[2].Id()), client.State.Keys); // still a draft
        Assert.DoesNotContain(("article", published[3].Id()), client.State.Keys); // unpublished
        Assert.Equal("Judul diubah", (string)client.Data[("article", published[0].Id())]["title"]!);

        // The scheduled article arrives by itself when its time comes: nothing was written at that moment.
        await Task.Delay(Later(scheduledAt + TimeSpan.FromMilliseconds(300)));
        await client.SyncUntilAsync(async _ => client.State.ContainsKey(("article", drafts[1].Id())) && Same(await ReaderVisibleAsync(reader), client.State));
        Assert.Contains(("article", drafts[1].Id()), client.State.Keys);
        AssertSameState(await ReaderVisibleAsync(reader), client.State);
    }

    [Fact]
    public async Task ChangeCommittedAfterAPageWasRead_IsNeverSkipped()
    {
        var editor = factory.Admin();
        var client = new SyncClient(editor);
        await client.SyncToEndAsync();

        // A transaction that starts writing first but commits last.
        var slow = Guid.CreateVersion7();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("insert into people (id, slug, name) values (@id, @slug, 'Lambat')", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", slow);
            cmd.Parameters.AddWithValue("slug", TestData.Slug("lambat"));
            await cmd.ExecuteNonQueryAsync();
        }
        var fast = (await editor.CreatePerson("Cepat")).Id();

        var whileOpen = await client.SyncToEndAsync();
        Assert.DoesNotContain(whileOpen, i => i.Id() == slow);
        // The later transaction waits too: handing it out now would move the token past the slow one.
        Assert.DoesNotContain(whileOpen, i => i.Id() == fast);

        await tx.CommitAsync();
        // The horizon is cluster-wide: other tests' open transactions may hold it back a moment, never past a change.
        var after = new List<JsonObject>();
        for (var attempt = 0; attempt < 50 && !(after.Any(i => i.Id() == slow) && after.Any(i => i.Id() == fast)); attempt++)
        {
            after.AddRange(await client.SyncToEndAsync());
            await Task.Delay(100);
        }
        Assert.Contains(after, i => i.Id() == slow);
        Assert.Contains(after, i => i.Id() == fast);
    }

    [Fact]
    public async Task Reader_GetsTombstonesForUnpublished_AndNothingOfDrafts()
    {
        var editor = factory.Admin();
        var reader = new SyncClient(factory.Anonymous());
        var speaker = (await editor.CreatePerson()).Id();
        var quote = (await editor.CreateQuote(speaker, text: "Tidak ada yang perlu dikatakan.")).Id();
        var article = await editor.CreatePublishedArticle([quote]);
        await reader.SyncUntilAsync(_ => Task.FromResult(reader.State.ContainsKey(("article", article.Id())) && reader.State.ContainsKey(("quote", quote))));
        Assert.Contains(("article", article.Id()), reader.State.Keys);
        Assert.Contains(("quote", quote), reader.State.Keys);

        var draft = await editor.CreateArticle(TestData.Article(title: "Rahasia redaksi"));
        var response = await editor.PostAsync($"/v1/articles/{article.Id()}/unpublish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var items = await reader.SyncUntilAsync(all => Task.FromResult(
            all.Any(i => i.Id() == article.Id() && (string)i["op"]! == "delete") && all.Any(i => i.Id() == quote && (string)i["op"]! == "delete")));
        Assert.Contains(items, i => i.Id() == article.Id() && (string)i["op"]! == "delete" && i["data"] is null);
        Assert.Contains(items, i => i.Id() == quote && (string)i["op"]! == "delete");
        Assert.DoesNotContain(items, i => i.Id() == draft.Id());
        Assert.DoesNotContain(("article", article.Id()), reader.State.Keys);
    }

    [Fact]
    public async Task Editor_SeesDraftsAndDeletes()
    {
        var editor = factory.Admin();
        var client = new SyncClient(editor);
        await client.SyncToEndAsync();
        var draft = await editor.CreateArticle(TestData.Article());
        var items = await client.SyncUntilAsync(all => Task.FromResult(all.Any(i => i.Id() == draft.Id())));
        Assert.Contains(items, i => i.Id() == draft.Id() && (string)i["op"]! == "upsert" && (string)i["data"]!["status"]! == "draft");

        var response = await editor.SendAsync(TestData.Request(HttpMethod.Delete, $"/v1/articles/{draft.Id()}", ifMatch: "\"1\""));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        items = await client.SyncUntilAsync(all => Task.FromResult(all.Any(i => i.Id() == draft.Id() && (string)i["op"]! == "delete")));
        Assert.Contains(items, i => i.Id() == draft.Id() && (string)i["op"]! == "delete" && (int)i["version"]! == 2);
    }

    [Fact]
    public async Task TamperedToken_Returns400()
    {
        var body = await factory.Anonymous().GetOk("/v1/sync");
        var token = (string)body["nextToken"]!;
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        var response = await factory.Anonymous().GetAsync("/v1/sync?since=" + Uri.EscapeDataString(tampered));
        var problem = await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["since"]);

        // A list cursor is signed with the same secret for another purpose and is no sync token.
        await factory.Admin().CreateSource("A"); await factory.Admin().CreateSource("B");
        var cursor = (string?)(await factory.Admin().GetOk("/v1/sources?limit=1"))["nextCursor"];
        Assert.False(string.IsNullOrEmpty(cursor), "two sources and limit=1: the list must hand out a cursor");
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/v1/sources?limit=1&cursor=" + Uri.EscapeDataString(cursor!))).StatusCode);
        response = await factory.Anonymous().GetAsync("/v1/sync?since=" + Uri.EscapeDataString(cursor!));
        await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ClientBackAfter500ScheduledReleases_GetsThemInPagesOfAtMostLimit_NoneSkippedOrRepeated()
    {
        var reader = new SyncClient(factory.Anonymous());
        await reader.SyncToEndAsync();
        // 500 articles scheduled a few seconds ahead, 100 at each of five instants (ties on the release time), and a quote
        // on every 50th article: it is released with its article, on the same page.
        var due = DateTime.UtcNow.AddSeconds(3);
        var word = TestData.Token("rilis");
        await using (var conn = new NpgsqlConnection(factory.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                insert into articles (id, slug, title, language, status, published_at, body)
                select gen_random_uuid(), @word || '-' || i, 'Rilis ' || @word, 'id', 'published', @due + (i % 5) * interval '1 ms', '[]'::jsonb
                from generate_series(1, 500) i
                """, conn);
            cmd.Parameters.AddWithValue("word", word);
            cmd.Parameters.AddWithValue("due", due);
            await cmd.ExecuteNonQueryAsync();
        }
        var person = await factory.Admin().CreatePerson("Juru Bicara");
        var quoted = new Dictionary<Guid, Guid>(); // quote -> its article
        foreach (var slug in Enumerable.Range(1, 500).Where(i => i % 50 == 0).Select(i => $"{word}-{i}"))
        {
            var article = await factory.Admin().GetOk($"/v1/articles/{slug}");
            var quote = await factory.Admin().CreateQuote(person.Id());
            quoted[quote.Id()] = article.Id();
            await using var conn = new NpgsqlConnection(factory.ConnectionString);
            await conn.OpenAsync();
            await using var link = new NpgsqlCommand("insert into article_quotes (article_id, quote_id, position) values (@a, @q, 0)", conn);
            link.Parameters.AddWithValue("a", article.Id());
            link.Parameters.AddWithValue("q", quote.Id());
            await link.ExecuteNonQueryAsync();
        }
        // Under load the setup can outlast the three seconds; the releases are then simply due already.
        await Task.Delay(Later(due + TimeSpan.FromMilliseconds(200)));

        const int limit = 40;
        var pages = new List<JsonArray>();
        for (var page = 0; ; page++)
        {
            Assert.True(page < 100, "the feed did not end within 100 pages");
            var body = await factory.Anonymous().GetOk($"/v1/sync?limit={limit}&since={Uri.EscapeDataString(reader.Token!)}");
            var items = body["items"]!.AsArray();
            Assert.True(items.Count <= limit, $"page {page} has {items.Count} items, limit {limit}");
            pages.Add(items);
            reader.Token = (string)body["nextToken"]!;
            if (!(bool)body["hasMore"]!) break;
        }
        var released = pages.SelectMany(p => p).Where(i => (string)i!["type"]! == "article" && (string)i!["op"]! == "upsert"
            && ((string)i!["data"]!["slug"]!).StartsWith(word, StringComparison.Ordinal)).Select(i => i!.Id()).ToList();
        Assert.Equal(500, released.Count);
        Assert.Equal(500, released.Distinct().Count());
        Assert.True(pages.Count >= 500 / limit, $"{pages.Count} pages");
        // Each quote of a released article comes on the page its article comes on.
        foreach (var page in pages)
            foreach (var item in page.Where(i => (string)i!["type"]! == "quote" && (string)i!["op"]! == "upsert" && quoted.ContainsKey(i!.Id())))
                Assert.Contains(page, i => (string)i!["type"]! == "article" && i!.Id() == quoted[item!.Id()]);
        Assert.Equal(quoted.Count, pages.SelectMany(p => p).Count(i => (string)i!["type"]! == "quote" && (string)i!["op"]! == "upsert" && quoted.ContainsKey(i!.Id())));
    }
}
