using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// Many editors at once: optimistic concurrency under contention (no lost update, each version won once), racing
/// creates of one slug, and multi-row writes killed half-way (cancelled request, terminated backend).
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class ConcurrencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private KestrelApp app = null!;
    private readonly Figures figures = new(output, "concurrency");

    public Task InitializeAsync()
    {
        app = KestrelApp.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    private static int Counter(JsonNode article) => int.Parse(((string)article["title"]!).Split(' ')[^1], CultureInfo.InvariantCulture);

    private sealed record Win(int Version, int Writer, int Counter);

    [Fact]
    public async Task FiftyEditors_OnOneArticle_ForTenSeconds_LoseNoUpdate()
    {
        const int editors = 50;
        var duration = TimeSpan.FromSeconds(10);
        const int maxAttemptsPerEditor = 2_000;
        using var setup = app.Client();
        var person = await setup.CreatePerson();
        var source = await setup.CreateSource();
        var quote = await setup.CreateQuote(person.Id(), source.Id());
        var article = await setup.CreateArticle(TestData.Article(title: "counter 0",
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "cited" }],
            quoteIds: [quote.Id()]));
        var id = article.Id();
        var url = $"/v1/articles/{id}";

        var wins = new ConcurrentBag<Win>();
        var stale = 0;
        var attempts = 0;
        var others = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, editors).Select(async writer =>
        {
            using var client = app.Client();
            for (var i = 0; i < maxAttemptsPerEditor && clock.Elapsed < duration; i++)
            {
                var read = await client.GetAsync(url);
                var current = await read.Json();
                var etag = read.ETag();
                var next = Counter(current) + 1;
                HttpResponseMessage write;
                if (writer % 2 == 0)
                {
                    write = await client.Patch(url, new { title = $"counter {next}", section = $"editor {writer}" }, etag);
                }
                else
                {
                    var body = current.DeepClone().AsObject();
                    foreach (var readOnly in new[] { "id", "version", "createdAt", "updatedAt", "corrections" }) body.Remove(readOnly);
                    body["title"] = $"counter {next}";
                    body["section"] = $"editor {writer}";
                    write = await client.Put(url, body, etag);
                }
                Interlocked.Increment(ref attempts);
                var text = await write.Content.ReadAsStringAsync();
                switch (write.StatusCode)
                {
                    case HttpStatusCode.OK:
                        var saved = JsonNode.Parse(text)!;
                        wins.Add(new Win((int)saved["version"]!, writer, Counter(saved)));
                        break;
                    case HttpStatusCode.PreconditionFailed:
                        Assert.Equal("version_mismatch", (string?)JsonNode.Parse(text)!["code"]);
                        Interlocked.Increment(ref stale);
                        break;
                    default:
                        others.Add($"{(int)write.StatusCode} {Text.Shorten(text, 200)}");
                        break;
                }
            }
        }));
        clock.Stop();

        var final = await setup.GetOk(url);
        var accepted = wins.Count;
        var lost = accepted - Counter(final);
        var versions = wins.Select(w => w.Version).OrderBy(v => v).ToList();
        figures.Add("editors", editors);
        figures.Add("duration (s)", clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        figures.Add("conflicting updates tried", attempts);
        figures.Add("accepted (200)", accepted);
        figures.Add("refused as stale (412)", stale);
        figures.Add("other answers", others.Count);
        figures.Add("lost updates", lost);
        figures.Add("attempts per second", (attempts / clock.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture));
        figures.Add("final version", (int)final["version"]!);

        Assert.True(others.IsEmpty, "answers other than 200/412:\n" + string.Join("\n", others.Take(10)));
        Assert.Equal(attempts, accepted + stale);
        // Fifty editors contend for every version, so about one attempt in fifty wins: what matters is that many did.
        Assert.True(accepted >= 10, $"only {accepted} writes got through in {duration}");
        Assert.True(stale > 0, "no write was ever stale: the editors did not actually contend");
        // Each version won by exactly one writer, with no gap: version n+1 is the n-th accepted write.
        Assert.Equal(Enumerable.Range(2, accepted).ToList(), versions);
        // Each winner wrote the counter it read plus one, and the versions and counters advance together.
        Assert.All(wins, w => Assert.Equal(w.Version - 1, w.Counter));
        Assert.Equal(0, lost);
        Assert.Equal(1 + accepted, (int)final["version"]!);
        // The links survived 'accepted' replacements intact.
        Assert.Equal(person.Id(), final["people"]![0]!.Id("personId"));
        Assert.Equal(new[] { quote.Id().ToString() }, final["quoteIds"]!.Guids());
        var row = await Sql.Scalar<string>(app.ConnectionString, "select title || '|' || version from articles where id = @id", ("id", id));
        Assert.Equal($"counter {accepted}|{1 + accepted}", row);
    }

    [Theory]
    [InlineData("articles")]
    [InlineData("people")]
    [InlineData("sources")]
    public async Task FiftyClients_CreatingOneSlugAtOnce_GetExactlyOne201(string resource)
    {
        const int clients = 50;
        const int rounds = 3;
        var created = 0;
        var taken = 0;
        for (var round = 0; round < rounds; round++)
        {
            var slug = TestData.Slug("race");
            object Body() => resource switch
            {
                "articles" => TestData.Article(slug: slug),
                "people" => new { slug, name = "Jake Sullivan" },
                _ => new { slug, name = "Reuters", kind = "agency" },
            };
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var http = Enumerable.Range(0, clients).Select(_ => app.Client()).ToList();
            // Warm each client's connection first, so the creates leave together when the gate opens.
            await Task.WhenAll(http.Select(c => c.GetAsync("/health/live")));
            var tasks = http.Select(async c =>
            {
                await go.Task;
                return await c.PostAsJsonAsync($"/v1/{resource}", Body());
            }).ToList();
            go.SetResult();
            var responses = await Task.WhenAll(tasks);
            foreach (var c in http) c.Dispose();

            var statuses = responses.GroupBy(r => (int)r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
            Assert.True(statuses.GetValueOrDefault(201) == 1 && statuses.GetValueOrDefault(409) == clients - 1,
                $"{resource} round {round}: {string.Join(", ", statuses.Select(s => $"{s.Value}x {s.Key}"))}");
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
                await conflict.Problem(HttpStatusCode.Conflict, "slug_taken");
            Assert.Equal(1L, await Sql.Scalar<long>(app.ConnectionString, $"select count(*) from {resource} where slug = @slug", ("slug", slug)));
            created += 1;
            taken += clients - 1;
        }
        figures.Add($"{resource}: simultaneous creates of one slug", clients * rounds);
        figures.Add($"{resource}: 201", created);
        figures.Add($"{resource}: 409 slug_taken", taken);
    }

    /// <summary>What a request that writes an article and its links is waiting for, seen from PostgreSQL.</summary>
    private sealed record Blocked(int Pid, bool HasWritten);

    /// <summary>
    /// Holds a row lock on the quote, so a write that touches it (the last step of an article write) waits there,
    /// with the article and its links already written in its open transaction.
    /// </summary>
    private async Task<NpgsqlConnection> LockQuoteAsync(Guid quoteId)
    {
        var conn = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
        await conn.OpenAsync();
        // FOR NO KEY UPDATE: the foreign-key checks of the new links pass (they take KEY SHARE), the update of the quote waits.
        await using (var begin = new NpgsqlCommand("begin; select 1 from quotes where id = @id for no key update", conn))
        {
            begin.Parameters.AddWithValue("id", quoteId);
            await begin.ExecuteNonQueryAsync();
        }
        return conn;
    }

    private async Task<Blocked> WaitUntilBlockedAsync(string statementStart)
    {
        var deadline = Stopwatch.StartNew();
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await using var conn = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select pid, backend_xid is not null from pg_stat_activity
                where datname = @db and wait_event_type = 'Lock' and state = 'active' and query ilike @q
                """, conn);
            cmd.Parameters.AddWithValue("db", database);
            cmd.Parameters.AddWithValue("q", statementStart + "%");
            await using var reader = await cmd.ExecuteReaderAsync();
            if (await reader.ReadAsync())
                return new Blocked(reader.GetInt32(0), reader.GetBoolean(1));
            await Task.Delay(50);
        }
        throw new TimeoutException($"no backend blocked on '{statementStart}' within 10 s");
    }

    private async Task<bool> StillRunningAsync(int pid)
    {
        await using var conn = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pg_stat_activity where pid = @pid and state = 'active' and wait_event_type = 'Lock'", conn);
        cmd.Parameters.AddWithValue("pid", pid);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    private async Task<(Guid Person, Guid Source, Guid Quote)> LinkedRowsAsync(HttpClient admin)
    {
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await admin.CreateQuote(person.Id(), source.Id());
        return (person.Id(), source.Id(), quote.Id());
    }

    /// <summary>A new article's body, linked to a new person, source and quote (the quote is what these tests lock).</summary>
    private async Task<(string Slug, object Body, Guid Quote)> NewLinkedArticleAsync(HttpClient admin, string slugPrefix)
    {
        var (person, source, quote) = await LinkedRowsAsync(admin);
        var slug = TestData.Slug(slugPrefix);
        return (slug, TestData.Article(slug: slug, people: [new { personId = person, role = "subject" }],
            sources: [new { sourceId = source, relation = "cited" }], quoteIds: [quote]), quote);
    }

    private async Task<long> RowsOfArticleSlugAsync(string slug) => await Sql.Scalar<long>(app.ConnectionString, """
        select (select count(*) from articles where slug = @s)
             + (select count(*) from article_people x join articles a on a.id = x.article_id where a.slug = @s)
             + (select count(*) from article_sources x join articles a on a.id = x.article_id where a.slug = @s)
             + (select count(*) from article_quotes x join articles a on a.id = x.article_id where a.slug = @s)
        """, ("s", slug));

    [Fact]
    public async Task ACreatePostgreSqlBreaksOffToSettleADeadlock_IsRunAgain_AndSucceeds()
    {
        using var admin = app.Client();
        await UntilTheWriteIsBrokenOffAsync(async () =>
        {
            var (slug, body, quote) = await NewLinkedArticleAsync(admin, "deadlock");
            var holder = await LockQuoteAsync(quote);
            var write = admin.PostAsJsonAsync("/v1/articles", body);
            Assert.True((await WaitUntilBlockedAsync("with a as (")).HasWritten, "the create should be waiting on the quote with its article written");
            // The holder now waits for the create's uncommitted slug, the create for the holder's quote.
            var (brokeOffTheWrite, response) = await CloseTheCycleAsync(holder, write,
                "insert into articles (id, slug, title, language) values (gen_random_uuid(), @p, 'clash', 'en')", slug);
            var created = await response.Json(HttpStatusCode.Created);
            if (!brokeOffTheWrite) return false;

            Assert.Equal(1, (int)created["version"]!);
            Assert.Equal(4L, await RowsOfArticleSlugAsync(slug));
            Assert.Equal(1L, await Sql.Scalar<long>(app.ConnectionString, "select count(*) from revisions where entity = 'article' and id = @id", ("id", created.Id())));
            return true;
        });
    }

    [Fact]
    public async Task ADeletePostgreSqlBreaksOffAfterItsRevision_IsRunAgain_AndTellsTheOtherNodesOnce()
    {
        using var admin = app.Client();
        await UntilTheWriteIsBrokenOffAsync(async () =>
        {
            var (_, body, quote) = await NewLinkedArticleAsync(admin, "deadlock-delete");
            var article = await admin.CreateArticle(body);
            // Listening from here on: only the delete's notification can arrive.
            await using var listener = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
            await listener.OpenAsync();
            var heard = 0;
            listener.Notification += (_, _) => Interlocked.Increment(ref heard);
            await using (var listen = new NpgsqlCommand("listen contentapi_writes", listener))
                await listen.ExecuteNonQueryAsync();

            var holder = await LockQuoteAsync(quote);
            var write = admin.Delete($"/v1/articles/{article.Id()}", "\"1\"");
            // The delete records its revision (and the NOTIFY with it) first, then waits to touch the article's quote.
            await WaitUntilBlockedAsync("update quotes");
            var (brokeOffTheWrite, response) = await CloseTheCycleAsync(holder, write, "select 1 from articles where id = @p for update", article.Id());
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            if (!brokeOffTheWrite) return false;

            // The broken-off try's NOTIFY rolled back with it: the try that committed sent its own.
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref heard) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
                await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
            await listener.WaitAsync(TimeSpan.FromMilliseconds(500));
            Assert.Equal(1, Volatile.Read(ref heard));
            Assert.Equal(0L, await RowsOfArticleSlugAsync((string)article["slug"]!));
            return true;
        });
    }

    [Fact]
    public async Task AnImportPostgreSqlBreaksOffToSettleADeadlock_ReadsItsStoryAgain_AndSucceeds()
    {
        using var admin = app.Client();
        await UntilTheWriteIsBrokenOffAsync(async () =>
        {
            var tag = "Deadlock" + new string(Guid.NewGuid().ToString("N")[..7].Select(c => (char)('a' + c % 26)).ToArray());
            var outlet = await admin.CreateSource($"Warta{tag}");
            var story = $"""
                Banjir Rendam Desa {tag}
                Banjir merendam ratusan rumah di Desa {tag}, Senin (6/5).
                "Warga diminta tetap waspada," kata Wirawan {tag}putra kepada kantor berita Warta{tag}.
                """;

            var holder = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
            await holder.OpenAsync();
            // The import's quote names the stored outlet: FOR UPDATE holds that insert's foreign-key check, after the new speaker's row.
            await using (var begin = new NpgsqlCommand("begin; select 1 from sources where id = @id for update", holder))
            {
                begin.Parameters.AddWithValue("id", outlet.Id());
                await begin.ExecuteNonQueryAsync();
            }
            var write = admin.PostAsync("/v1/imports", new StringContent(story, System.Text.Encoding.UTF8, "text/plain"));
            await WaitUntilBlockedAsync("insert into quotes");
            // The holder now waits for the import's uncommitted speaker slug.
            var (brokeOffTheWrite, response) = await CloseTheCycleAsync(holder, write,
                "insert into people (id, slug, name) values (gen_random_uuid(), @p, 'clash')", $"wirawan-{tag.ToLowerInvariant()}putra");
            var article = (await response.Json(HttpStatusCode.Created))["article"]!;
            if (!brokeOffTheWrite) return false;

            Assert.Equal($"banjir-rendam-desa-{tag.ToLowerInvariant()}", (string?)article["slug"]);
            Assert.Equal([outlet.Id()], article["sources"]!.AsArray().Select(x => x!.Id("sourceId")).Distinct());
            return true;
        });
    }

    [Fact]
    public async Task AWebhookDeletePostgreSqlBreaksOffToSettleADeadlock_IsRunAgain_AndSucceeds()
    {
        using var admin = app.Client();
        await UntilTheWriteIsBrokenOffAsync(async () =>
        {
            // Made in SQL: an inactive subscription (no write queues deliveries for it, no dispatcher sends) with one delivery.
            var id = Guid.NewGuid();
            Assert.Equal(1L, await Sql.Scalar<long>(app.ConnectionString, """
                with s as (insert into webhook_subscriptions (id, url, events, active, secret)
                           values (@id, 'https://example.org/hook', '{person.created}', false, 'unused') returning id),
                     d as (insert into webhook_deliveries (id, subscription_id, event, payload, status)
                           select gen_random_uuid(), s.id, 'person.created', '{}', 'delivered' from s returning 1)
                select count(*) from d
                """, ("id", id)));

            var holder = new NpgsqlConnection(Sql.Unpooled(app.ConnectionString));
            await holder.OpenAsync();
            // As the dispatcher holds the deliveries it sends, and then disables the subscription after a 410.
            await using (var begin = new NpgsqlCommand("begin; select 1 from webhook_deliveries where subscription_id = @id for update", holder))
            {
                begin.Parameters.AddWithValue("id", id);
                await begin.ExecuteNonQueryAsync();
            }
            var write = admin.DeleteAsync($"/v1/webhooks/{id}");
            // The delete holds the subscription and waits for its cascade to the held delivery.
            await WaitUntilBlockedAsync("delete from webhook_subscriptions");
            var (brokeOffTheWrite, response) = await CloseTheCycleAsync(holder, write,
                "update webhook_subscriptions set active = false where id = @p", id);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            if (!brokeOffTheWrite) return false;

            Assert.Equal(0L, await Sql.Scalar<long>(app.ConnectionString,
                "select (select count(*) from webhook_subscriptions where id = @id) + (select count(*) from webhook_deliveries where subscription_id = @id)", ("id", id)));
            return true;
        });
    }

    /// <summary>
    /// Runs a deadlock case until PostgreSQL breaks off the API's write rather than the test's holder (the case says
    /// which it did, from <see cref="CloseTheCycleAsync"/>), at most three times.
    /// </summary>
    private static async Task UntilTheWriteIsBrokenOffAsync(Func<Task<bool>> deadlockCase)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
            if (await deadlockCase())
                return;
        Assert.Fail("PostgreSQL broke off the test's transaction every time, not the API's: the test never got to wait within the API's deadlock_timeout (1 s)");
    }

    /// <summary>
    /// Closes a deadlock cycle: <paramref name="clash"/> (its parameter @p) makes the holder wait for a row the API's
    /// write holds while the write waits for the holder. PostgreSQL checks a wait once, deadlock_timeout after it began:
    /// 1 s for the API's sessions, 3 s for the holder's, so the write is the one broken off when the holder starts
    /// waiting within that second. False when the holder was instead (a stalled machine): the write then went through
    /// without a retry, and the caller runs its case again. Rolls the holder back and returns the write's answer.
    /// </summary>
    private static async Task<(bool BrokeOffTheWrite, HttpResponseMessage Response)> CloseTheCycleAsync(
        NpgsqlConnection holder, Task<HttpResponseMessage> write, string clash, object value)
    {
        await using (holder)
        {
            bool brokeOffTheWrite;
            await using (var late = new NpgsqlCommand("set deadlock_timeout = '3s'", holder))
                await late.ExecuteNonQueryAsync();
            await using (var cmd = new NpgsqlCommand(clash, holder))
            {
                cmd.Parameters.AddWithValue("p", value);
                try
                {
                    await cmd.ExecuteNonQueryAsync();
                    brokeOffTheWrite = true;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
                {
                    brokeOffTheWrite = false;
                }
            }
            await using (var rollback = new NpgsqlCommand("rollback", holder))
                await rollback.ExecuteNonQueryAsync();
            return (brokeOffTheWrite, await write);
        }
    }

    [Fact]
    public async Task ACreateCancelledHalfWay_LeavesNothing()
    {
        using var admin = app.Client();
        var (slug, body, quote) = await NewLinkedArticleAsync(admin, "cancelled");
        var quoteVersion = await Sql.Scalar<int>(app.ConnectionString, "select version from quotes where id = @id", ("id", quote));

        await using var lockHolder = await LockQuoteAsync(quote);
        using var cts = new CancellationTokenSource();
        var write = admin.PostAsJsonAsync("/v1/articles", body, cts.Token);
        // The create is one statement: it waits in its last part, on the locked quote, with the article and links inserted.
        var blocked = await WaitUntilBlockedAsync("with a as (");
        Assert.True(blocked.HasWritten, "the create should be waiting with the article and its links written");

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        while (await StillRunningAsync(blocked.Pid) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        var stopped = clock.Elapsed;
        Assert.False(await StillRunningAsync(blocked.Pid), "the cancelled request's statement still runs in PostgreSQL");
        await using (var rollback = new NpgsqlCommand("rollback", lockHolder))
            await rollback.ExecuteNonQueryAsync();

        figures.Add("cancelled create: database statement stopped after (ms)", (int)stopped.TotalMilliseconds);
        Assert.Equal(0L, await RowsOfArticleSlugAsync(slug));
        Assert.Equal(quoteVersion, await Sql.Scalar<int>(app.ConnectionString, "select version from quotes where id = @id", ("id", quote)));
        // Nothing half-made blocks a retry.
        await admin.CreateArticle(body);
        Assert.Equal(4L, await RowsOfArticleSlugAsync(slug));
    }

    [Fact]
    public async Task AReplaceWhoseConnectionIsTerminatedHalfWay_LeavesTheArticleAsItWas()
    {
        using var admin = app.Client();
        var (person, source, quote) = await LinkedRowsAsync(admin);
        var (other, otherSource, otherQuote) = await LinkedRowsAsync(admin);
        var article = await admin.CreateArticle(TestData.Article(title: "before", people: [new { personId = person, role = "subject" }],
            sources: [new { sourceId = source, relation = "cited" }], quoteIds: [quote]));
        var url = $"/v1/articles/{article.Id()}";
        var replacement = TestData.Article(slug: (string)article["slug"]!, title: "after",
            people: [new { personId = other, role = "author" }], sources: [new { sourceId = otherSource, relation = "reported-via" }], quoteIds: [otherQuote]);

        await using var lockHolder = await LockQuoteAsync(otherQuote);
        var write = admin.Put(url, replacement, "\"1\"");
        var blocked = await WaitUntilBlockedAsync("update quotes");
        Assert.True(blocked.HasWritten, "the replace should be waiting with the article and its new links written");
        await Sql.Scalar<bool>(app.ConnectionString, "select pg_terminate_backend(@pid)", ("pid", blocked.Pid));
        var response = await write;
        await using (var rollback = new NpgsqlCommand("rollback", lockHolder))
            await rollback.ExecuteNonQueryAsync();

        // The client learns the write did not happen, and may retry.
        var problem = await response.Problem(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.True(response.Headers.RetryAfter is not null, "503 without Retry-After");
        figures.Add("terminated replace: answer", $"{(int)response.StatusCode} {problem["code"]}");

        var now = await admin.GetOk(url);
        Assert.Equal("before", (string?)now["title"]);
        Assert.Equal(1, (int)now["version"]!);
        Assert.Equal(new[] { person.ToString() }, now["people"]!.AsArray().Select(p => (string)p!["personId"]!).ToList());
        Assert.Equal(new[] { source.ToString() }, now["sources"]!.AsArray().Select(s => (string)s!["sourceId"]!).ToList());
        Assert.Equal(new[] { quote.ToString() }, now["quoteIds"]!.Guids());
        // The retry goes through on a healthy connection.
        var retry = await admin.Put(url, replacement, "\"1\"");
        Assert.Equal("after", (string?)(await retry.Json())["title"]);
    }

    [Fact]
    public async Task ACreateWhoseConnectionIsTerminatedHalfWay_LeavesNothing()
    {
        using var admin = app.Client();
        var (slug, body, quote) = await NewLinkedArticleAsync(admin, "terminated");

        await using var lockHolder = await LockQuoteAsync(quote);
        var write = admin.PostAsJsonAsync("/v1/articles", body);
        // The create is one statement: it waits in its last part, on the locked quote, with the article and links inserted.
        var blocked = await WaitUntilBlockedAsync("with a as (");
        Assert.True(blocked.HasWritten);
        await Sql.Scalar<bool>(app.ConnectionString, "select pg_terminate_backend(@pid)", ("pid", blocked.Pid));
        var response = await write;
        await using (var rollback = new NpgsqlCommand("rollback", lockHolder))
            await rollback.ExecuteNonQueryAsync();

        await response.Problem(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal(0L, await RowsOfArticleSlugAsync(slug));
        await admin.CreateArticle(body);
        Assert.Equal(4L, await RowsOfArticleSlugAsync(slug));
    }
}

internal static class JsonIds
{
    public static Guid Id(this JsonNode node, string property) => Guid.Parse((string)node[property]!);
}
