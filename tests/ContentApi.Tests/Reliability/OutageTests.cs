using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// The database goes away under load and comes back. The fixture starts its own PostgreSQL (so it may stop it) and
/// the app as its own process on it, runs readers, writers and health probes, stops PostgreSQL twice (a fast shutdown,
/// then an immediate one, like a crash), starts it again each time, and records every answer with its timing.
/// </summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public sealed record Sample(string Kind, double StartMs, double EndMs, int Status, string? Code, bool RetryAfter, string? Error)
    {
        public double LatencyMs => EndMs - StartMs;
    }

    /// <summary>One outage: when the stop was asked for and done, when the start was asked for and done (ms since the load began).</summary>
    public sealed record Outage(string Mode, double StopAsked, double Down, double StartAsked, double Up);

    public sealed record Create(string Slug, JsonObject Body, int Status, string? Code);

    public ConcurrentQueue<Sample> Samples { get; } = new();
    public ConcurrentQueue<Create> Creates { get; } = new();
    public List<Outage> Outages { get; } = [];
    /// <summary>Each retried create: its slug, the status, and "replayed" or the problem text.</summary>
    public List<(string Slug, int Status, string? Replayed)> Retries { get; } = [];
    public List<string> Found { get; private set; } = [];
    public List<string> FoundBeforeRetries { get; private set; } = [];
    /// <summary>
    /// Retries of creates that had committed before the retry (their row was there) but were not answered as a replay
    /// of the first answer. (Slugs are unique, so a second row can never appear: a retry that ran again would be a 409.)
    /// </summary>
    public List<string> NotReplayed { get; private set; } = [];
    public int PidBefore { get; private set; }
    public int PidAfter { get; private set; }
    public bool AliveAfter { get; private set; }
    public string AppLog => app?.Log ?? "";
    public TimeSpan Duration { get; private set; }

    private PrivatePostgres pg = null!;
    private AppProcess? app;
    private readonly Stopwatch clock = new();

    private double Now => clock.Elapsed.TotalMilliseconds;

    public async Task InitializeAsync()
    {
        pg = await PrivatePostgres.StartAsync("outage");
        var connectionString = pg.ConnectionString("contentapi_outage");
        app = await AppProcess.StartAsync(connectionString);
        PidBefore = app.Pid;
        using var admin = app.Client(timeout: TimeSpan.FromSeconds(10));
        var person = await admin.PostOk("/v1/people", new { slug = TestData.Slug("outage"), name = "Jake Sullivan" });

        using var stop = new CancellationTokenSource();
        clock.Start();
        var workers = new List<Task>();
        for (var i = 0; i < 3; i++) workers.Add(WriteLoop(i, stop.Token));
        for (var i = 0; i < 3; i++) workers.Add(ReadLoop(i, person.Id(), stop.Token));
        workers.Add(HealthLoop(stop.Token));

        await Task.Delay(2000);
        foreach (var mode in new[] { "fast (scripts/pg.sh stop)", "immediate (pg_ctl -m immediate)" })
        {
            // One create is surely in flight when the database goes: it waits on a table lock, after its
            // Idempotency-Key has been claimed and before its row is written.
            var inFlight = await StartACreateThatWaitsAsync(connectionString, admin, mode);
            var stopAsked = Now;
            if (mode.StartsWith("fast", StringComparison.Ordinal)) await pg.StopFastAsync(); else await pg.StopImmediateAsync();
            var down = Now;
            await Task.Delay(5000);
            var startAsked = Now;
            await pg.StartAgainAsync();
            var up = Now;
            Outages.Add(new Outage(mode, stopAsked, down, startAsked, up));
            await inFlight;
            // Keep the load on until everything has answered normally for three seconds, at most fifteen.
            var deadline = Now + 15_000;
            while (Now < deadline && !RecoveredSince(up, out _))
                await Task.Delay(250);
            await Task.Delay(3000);
        }
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Duration = clock.Elapsed;

        var slugs = Creates.Select(c => c.Slug).ToArray();
        FoundBeforeRetries = await Sql.Column<string>(Sql.Unpooled(connectionString), "select slug from people where slug = any(@s)", ("s", slugs));

        // Every create that did not get its 201 is retried once, as a client does, with the same key and body. A key
        // left claimed by a request that died with the database makes the server wait up to 10 s before answering.
        using var retrier = app.Client(timeout: TimeSpan.FromSeconds(20));
        var retries = new ConcurrentBag<(string, int, string?)>();
        await Parallel.ForEachAsync(Creates.Where(c => c.Status != 201).ToList(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (failed, _) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = JsonContent.Create(failed.Body) };
            request.Headers.Add("Idempotency-Key", failed.Slug);
            try
            {
                using var response = await retrier.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var r) ? "replayed" : null;
                retries.Add((failed.Slug, (int)response.StatusCode, response.IsSuccessStatusCode ? replayed : Text.Shorten(text, 200)));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                retries.Add((failed.Slug, 0, e.GetType().Name));
            }
        });
        Retries.AddRange(retries);

        Found = await Sql.Column<string>(Sql.Unpooled(connectionString), "select slug from people where slug = any(@s)", ("s", slugs));
        NotReplayed = Retries.Where(r => FoundBeforeRetries.Contains(r.Slug) && !(r.Status == 201 && r.Replayed == "replayed"))
            .Select(r => $"{r.Slug} → {r.Status} {r.Replayed}").ToList();
        AliveAfter = !app.HasExited && (await admin.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK;
        PidAfter = app.Pid;
    }

    public async Task DisposeAsync()
    {
        var dir = Path.Combine(TestDatabase.RepoRoot(), "TestResults", "reliability");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "outage-app.log"), AppLog);
        await File.WriteAllLinesAsync(Path.Combine(dir, "outage-samples.tsv"), Samples.OrderBy(s => s.StartMs)
            .Select(s => string.Join('\t', s.Kind, s.StartMs.ToString("F0", CultureInfo.InvariantCulture), s.LatencyMs.ToString("F0", CultureInfo.InvariantCulture), s.Status, s.Code, s.Error))
            .Prepend(string.Join("\t", Outages.Select(o => $"{o.Mode}: stop {o.StopAsked:F0} down {o.Down:F0} start {o.StartAsked:F0} up {o.Up:F0}"))));
        if (app is not null) await app.DisposeAsync();
        await pg.DisposeAsync();
    }

    /// <summary>True when every request started after some moment past <paramref name="up"/> succeeded; that moment is <paramref name="since"/>.</summary>
    public bool RecoveredSince(double up, out double since, double until = double.MaxValue)
    {
        var after = Samples.Where(s => s.StartMs >= up && s.EndMs < until && !s.Kind.StartsWith("health", StringComparison.Ordinal)).OrderBy(s => s.StartMs).ToList();
        var lastFailure = after.LastOrDefault(s => s.Status is < 200 or >= 300);
        var from = lastFailure is null ? up : lastFailure.EndMs;
        since = from;
        var successesAfter = after.Count(s => s.StartMs > from);
        return successesAfter >= 20 && (after.Count == 0 ? 0 : after[^1].EndMs) - from >= 3000;
    }

    /// <summary>Starts a create that blocks on a share lock of the people table; returns once PostgreSQL shows it waiting.</summary>
    private async Task<Task> StartACreateThatWaitsAsync(string connectionString, HttpClient admin, string mode)
    {
        var holder = new Npgsql.NpgsqlConnection(Sql.Unpooled(connectionString));
        await holder.OpenAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("begin; lock table people in share mode", holder))
            await lockTable.ExecuteNonQueryAsync();
        var slug = $"outage-inflight-{Guid.NewGuid():N}"[..36];
        var body = new JsonObject { ["slug"] = slug, ["name"] = "In flight when the database went away " + mode };
        var create = Measure("create", admin, c =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", slug);
            return c.SendAsync(request);
        }).ContinueWith(t => Creates.Enqueue(new Create(slug, body, t.Result.Status, t.Result.Code)), TaskScheduler.Default);
        // Watched from a connection of its own: within the holder's transaction pg_stat_activity is a frozen snapshot.
        await using (var watcher = new Npgsql.NpgsqlConnection(Sql.Unpooled(connectionString)))
        {
            await watcher.OpenAsync();
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await using var probe = new Npgsql.NpgsqlCommand(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%insert into people%'", watcher);
                if ((long)(await probe.ExecuteScalarAsync())! > 0) break;
                await Task.Delay(20);
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), "the in-flight create never reached its insert");
        }
        // The holder dies with the server; disposing it later is harmless.
        _ = create.ContinueWith(_ => holder.Dispose(), TaskScheduler.Default);
        return create;
    }

    private async Task<Sample> Measure(string kind, HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        var start = Now;
        try
        {
            using var response = await send(client);
            var text = await response.Content.ReadAsStringAsync();
            string? code = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                code = (string?)JsonNode.Parse(text)?["code"];
            var sample = new Sample(kind, start, Now, (int)response.StatusCode, code, response.Headers.RetryAfter is not null, null);
            Samples.Enqueue(sample);
            return sample;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            var sample = new Sample(kind, start, Now, 0, null, false, e.GetType().Name + ": " + e.Message);
            Samples.Enqueue(sample);
            return sample;
        }
    }

    private async Task WriteLoop(int writer, CancellationToken stop)
    {
        using var client = app!.Client(timeout: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            var slug = $"outage-w{writer}-{i}-{Guid.NewGuid():N}"[..40];
            var body = new JsonObject { ["slug"] = slug, ["name"] = $"Writer {writer} #{i}", ["aliases"] = new JsonArray("Penulis") };
            var sample = await Measure("create", client, c =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", slug);
                return c.SendAsync(request);
            });
            Creates.Enqueue(new Create(slug, body, sample.Status, sample.Code));
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task ReadLoop(int reader, Guid personId, CancellationToken stop)
    {
        using var client = app!.Client(timeout: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            var url = (i + reader) % 2 == 0 ? "/v1/people?limit=5" : $"/v1/people/{personId}";
            await Measure("read", client, c => c.GetAsync(url));
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task HealthLoop(CancellationToken stop)
    {
        using var client = app!.Client(key: null, timeout: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            await Measure("health-ready", client, c => c.GetAsync("/health/ready"));
            await Measure("health-live", client, c => c.GetAsync("/health/live"));
            await Task.Delay(100, CancellationToken.None);
        }
    }
}

[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class OutageTests(OutageFixture run, ITestOutputHelper output) : IClassFixture<OutageFixture>
{
    private readonly Figures figures = new(output, "outage");

    private static string Describe(OutageFixture.Sample s) =>
        $"{s.Kind} at {s.StartMs / 1000:F2}s took {s.LatencyMs:F0} ms: {s.Status} {s.Code} {s.Error}";

    private IEnumerable<OutageFixture.Sample> WhileDown(OutageFixture.Outage o) =>
        run.Samples.Where(s => s.StartMs >= o.Down && s.EndMs <= o.StartAsked);

    [Fact]
    public void WhileTheDatabaseIsDown_EveryRequestAnswersFast_With503UnavailableAndRetryAfter()
    {
        foreach (var o in run.Outages)
        {
            var down = WhileDown(o).Where(s => !s.Kind.StartsWith("health", StringComparison.Ordinal)).ToList();
            var wrong = down.Where(s => s.Status != 503 || s.Code != "unavailable" || !s.RetryAfter).ToList();
            var slowest = down.Count == 0 ? 0 : down.Max(s => s.LatencyMs);
            figures.Add($"{o.Mode}: outage length (s)", ((o.Up - o.StopAsked) / 1000).ToString("F1", CultureInfo.InvariantCulture));
            figures.Add($"{o.Mode}: requests while down", down.Count);
            figures.Add($"{o.Mode}: of which 503 unavailable with Retry-After", down.Count - wrong.Count);
            figures.Add($"{o.Mode}: slowest answer while down (ms)", (int)slowest);
            Assert.True(down.Count >= 50, $"{o.Mode}: only {down.Count} requests while the database was down");
            Assert.True(wrong.Count == 0, $"{o.Mode}: answers other than 503 unavailable + Retry-After:\n" + string.Join("\n", wrong.Take(10).Select(Describe)));
            Assert.True(slowest < 2000, $"{o.Mode}: an answer took {slowest:F0} ms while the database was down");
        }
        // And around the edges (going down, coming back), never anything but success or 503.
        var bad = run.Samples.Where(s => !s.Kind.StartsWith("health", StringComparison.Ordinal) && s.Status is not (200 or 201 or 503)).ToList();
        Assert.True(bad.Count == 0, "answers other than 2xx or 503 during the run:\n" + string.Join("\n", bad.Take(10).Select(Describe)));
    }

    [Fact]
    public void WhileTheDatabaseIsDown_ReadinessFails_LivenessHolds_AndTheProcessStaysUp()
    {
        foreach (var o in run.Outages)
        {
            var ready = WhileDown(o).Where(s => s.Kind == "health-ready").ToList();
            var live = WhileDown(o).Where(s => s.Kind == "health-live").ToList();
            Assert.True(ready.Count >= 5 && live.Count >= 5, $"{o.Mode}: {ready.Count} readiness and {live.Count} liveness probes while down");
            Assert.All(ready, s => Assert.True(s.Status == 503, $"{o.Mode}: /health/ready answered {s.Status} while the database was down"));
            Assert.All(live, s => Assert.True(s.Status == 200, $"{o.Mode}: /health/live answered {s.Status} while the database was down"));
            figures.Add($"{o.Mode}: slowest /health/ready while down (ms)", (int)ready.Max(s => s.LatencyMs));
        }
        Assert.True(run.AliveAfter, "the app process did not survive:\n" + Text.Shorten(run.AppLog, 4000));
        Assert.Equal(run.PidBefore, run.PidAfter);
        Assert.DoesNotContain(ContentApiFactory.AdminKey, run.AppLog);
        var unanswered = run.Samples.Where(s => s.Error is not null).ToList();
        Assert.True(unanswered.Count == 0, "requests without an answer (refused or reset connections mean the app went away):\n" + string.Join("\n", unanswered.Take(10).Select(Describe)));
    }

    [Fact]
    public void WhenTheDatabaseReturns_EverythingWorksWithinFiveSeconds_WithoutRestartingTheApp()
    {
        foreach (var (o, i) in run.Outages.Select((o, i) => (o, i)))
        {
            var next = i + 1 < run.Outages.Count ? run.Outages[i + 1].StopAsked : double.MaxValue;
            Assert.True(run.RecoveredSince(o.Up, out var since, next), $"{o.Mode}: still failing 15 s after the database came back");
            var recovery = Math.Max(0, since - o.Up);
            figures.Add($"{o.Mode}: recovery after the database accepted connections (s)", (recovery / 1000).ToString("F2", CultureInfo.InvariantCulture));
            var readyAgain = run.Samples.Where(s => s.Kind == "health-ready" && s.StartMs >= o.Up && s.Status == 200).Select(s => s.EndMs).DefaultIfEmpty(double.NaN).Min();
            figures.Add($"{o.Mode}: /health/ready 200 again after (s)", ((readyAgain - o.Up) / 1000).ToString("F2", CultureInfo.InvariantCulture));
            var failures = run.Samples.Where(s => s.StartMs >= o.Up && s.EndMs <= since && s.Status is < 200 or >= 300 && !s.Kind.StartsWith("health", StringComparison.Ordinal)).ToList();
            Assert.True(recovery <= 5000, $"{o.Mode}: requests kept failing for {recovery:F0} ms after the database came back: " +
                string.Join(", ", failures.GroupBy(f => $"{f.Kind} {f.Status} {f.Code}").Select(g => $"{g.Count()}x {g.Key}")) + "\n" +
                string.Join("\n", failures.TakeLast(5).Select(Describe)) + "\napp log:\n" + Text.Shorten(string.Join("\n", run.AppLog.Split('\n').Where(l => l.Contains("fail") || l.Contains("Exception") || l.Contains("warn")).TakeLast(40)), 6000));
            Assert.True(readyAgain - o.Up <= 5000, $"{o.Mode}: readiness came back after {readyAgain - o.Up:F0} ms");
        }
        Assert.Equal(run.PidBefore, run.PidAfter);
    }

    [Fact]
    public void NoAcceptedWriteIsLost()
    {
        var accepted = run.Creates.Where(c => c.Status == 201).Select(c => c.Slug).ToList();
        var missing = accepted.Except(run.FoundBeforeRetries).ToList();
        figures.Add("writes accepted (201)", accepted.Count);
        figures.Add("writes accepted and found in the database", accepted.Count - missing.Count);
        figures.Add("writes refused with 503", run.Creates.Count(c => c.Status == 503));
        figures.Add("writes refused with 503 that had committed anyway", run.Creates.Count(c => c.Status == 503 && run.FoundBeforeRetries.Contains(c.Slug)));
        figures.Add("total requests", run.Samples.Count);
        figures.Add("run length (s)", run.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        Assert.True(accepted.Count > 100, $"only {accepted.Count} writes were accepted: the load proves little");
        Assert.True(missing.Count == 0, $"{missing.Count} accepted writes are not in the database: {string.Join(", ", missing.Take(10))}");
        Assert.True(run.NotReplayed.Count == 0, "retries of committed creates not replayed: " + string.Join("\n", run.NotReplayed.Take(10)));
    }

    [Fact]
    public void ACreateThatFailedDuringTheOutage_SucceedsWhenRetriedWithItsIdempotencyKey()
    {
        figures.Add("failed creates retried with the same Idempotency-Key", run.Retries.Count);
        figures.Add("retries answered 201", run.Retries.Count(r => r.Status == 201));
        figures.Add("retries answered 201 as a replay of a write that had committed", run.Retries.Count(r => r.Status == 201 && r.Replayed == "replayed"));
        Assert.True(run.Retries.Count > 0, "no create failed, so nothing was retried");
        var stuck = run.Retries.Where(r => r.Status != 201).ToList();
        Assert.True(stuck.Count == 0, $"{stuck.Count} retries did not succeed: " + string.Join("\n", stuck.Take(10).Select(r => $"{r.Slug} → {r.Status} {r.Replayed}")));
        Assert.True(run.NotReplayed.Count == 0, "retries of committed creates not replayed: " + string.Join("\n", run.NotReplayed.Take(10)));
        Assert.Equal(run.Creates.Select(c => c.Slug).Distinct().Count(), run.Found.Count);
    }
}
