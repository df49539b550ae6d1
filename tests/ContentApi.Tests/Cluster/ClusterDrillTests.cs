using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Reliability;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Cluster;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "cluster";
}

/// <summary>
/// Failure drills on the local cluster (scripts/cluster.sh): under a steady, bounded read and write load sent to
/// HAProxy on 127.0.0.1, one part is lost at a time. Each drill counts its errors and how long they lasted, and checks
/// that no acknowledged write is missing afterwards. Each drill starts with `cluster.sh up`, which restarts whatever
/// the previous one left stopped.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class ClusterDrillTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task KillTheStandby_ReadsMoveToThePrimaryWithinTwoSeconds()
    {
        await cluster.UpAsync();
        var figures = new Figures(output, "cluster: kill the standby");
        var load = new Load(cluster);
        long onStandby = 0;
        var breakAt = await load.RunAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), async () =>
        {
            // The readers' reads were on the standby until now: the nodes hold connections to it.
            onStandby = await LocalCluster.CountAsync(cluster.StandbyConnectionString,
                "select count(*) from pg_stat_activity where datname = 'contentapi' and pid <> pg_backend_pid()");
            cluster.Kill("standby");
        });
        Assert.True(onStandby > 0, "no node was reading from the standby before it was killed");

        var reads = load.Reads.Where(s => s.Start >= breakAt).ToList();
        var failed = reads.Where(s => s.Status != 200).ToList();
        figures.Add("reads after the kill", reads.Count);
        figures.Add("failed reads", failed.Count);
        figures.Add("reads failing until (s after the kill)", Seconds(failed.Select(s => s.End).DefaultIfEmpty(breakAt).Max() - breakAt));
        Assert.All(reads.Where(s => s.Start >= breakAt + 2000), s => Assert.True(s.Status == 200, $"a read {Seconds(s.Start - breakAt)} s after the kill: {s}"));
        Assert.All(failed, s => Assert.True(s.Status is 503 or 0, $"a failed read was not a 503: {s}"));
        Assert.True(reads.Count(s => s.Start >= breakAt + 2000) > 10, "too few reads after the standby died to tell");
        await load.AssertWritesSucceededAndKeptAsync(figures, failuresAllowed: false);
    }

    [Fact]
    public async Task KillRedis_NoServerErrors_OnlyCacheMisses()
    {
        await cluster.UpAsync();
        var figures = new Figures(output, "cluster: kill Redis");
        var load = new Load(cluster);
        var breakAt = await load.RunAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), () =>
        {
            cluster.Kill("redis");
            return Task.CompletedTask;
        });

        var after = load.Samples.Where(s => s.Start >= breakAt).ToList();
        figures.Add("requests after the kill", after.Count);
        figures.Add("failed requests", after.Count(s => s.Status is not (200 or 201)));
        figures.Add("slowest read after the kill (ms)", (int)after.Where(s => s.Kind == "read").Max(s => s.End - s.Start));
        Assert.All(load.Reads, s => Assert.True(s.Status == 200, $"read: {s}"));
        Assert.True(after.Count(s => s.Kind == "read") > 10, "too few reads after Redis died to tell");
        await load.AssertWritesSucceededAndKeptAsync(figures, failuresAllowed: false);
    }

    [Fact]
    public async Task KillOneApiNode_TheBalancerStopsSendingToIt_NoAcknowledgedWriteLost()
    {
        await cluster.UpAsync();
        var figures = new Figures(output, "cluster: kill an API node");
        var load = new Load(cluster);
        var breakAt = await load.RunAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), () =>
        {
            cluster.Kill("node1");
            return Task.CompletedTask;
        });

        var after = load.Samples.Where(s => s.Start >= breakAt).ToList();
        var failed = after.Where(s => s.Status is not (200 or 201)).ToList();
        figures.Add("requests after the kill", after.Count);
        figures.Add("failed requests (in flight on the killed node)", failed.Count);
        figures.Add("errors until (s after the kill)", Seconds(failed.Select(s => s.End).DefaultIfEmpty(breakAt).Max() - breakAt));
        Assert.All(after.Where(s => s.Start >= breakAt + 3000), s => Assert.True(s.Status is 200 or 201, $"{Seconds(s.Start - breakAt)} s after the kill: {s}"));
        Assert.True(after.Count(s => s.Start >= breakAt + 3000) > 10, "too few requests after the node died to tell");
        var status = await cluster.StatusAsync();
        Assert.Contains("stopped", status.Split('\n').Single(l => l.StartsWith("node1", StringComparison.Ordinal)));
        await load.AssertWritesSucceededAndKeptAsync(figures, failuresAllowed: true);
    }

    [Fact]
    public async Task StopThePrimary_WritesAre503WithRetryAfter_ReadsGoOnFromTheStandby_NothingAcknowledgedLost()
    {
        await cluster.UpAsync();
        var figures = new Figures(output, "cluster: stop the primary");
        var load = new Load(cluster);
        double stoppedAt = 0, restartedAt = 0;
        var breakAt = await load.RunAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(16), async () =>
        {
            await cluster.StopPrimaryAsync();
            stoppedAt = load.Now;
            await Task.Delay(TimeSpan.FromSeconds(6));
            restartedAt = load.Now;
            await cluster.UpAsync();
            figures.Add("primary restarted in (s)", Seconds(load.Now - restartedAt));
        });

        var down = load.Samples.Where(s => s.Start >= stoppedAt && s.End <= restartedAt).ToList();
        var readsDown = down.Where(s => s.Kind == "read").ToList();
        var writesDown = down.Where(s => s.Kind == "write").ToList();
        figures.Add("reads while the primary was down", readsDown.Count);
        figures.Add("failed reads while down", readsDown.Count(s => s.Status != 200));
        figures.Add("writes while down (all 503 unavailable)", writesDown.Count);
        Assert.True(readsDown.Count > 10, "too few reads while the primary was down to tell");
        Assert.All(readsDown, s => Assert.True(s.Status == 200, $"read while the primary was down: {s}"));
        Assert.NotEmpty(writesDown);
        Assert.All(writesDown, s => Assert.True(s is { Status: 503, Code: "unavailable", RetryAfter: true }, $"write while the primary was down: {s}"));
        // From the stop on, a write either succeeded or was refused with 503 unavailable: never another error.
        Assert.All(load.Writes.Where(s => s.Start >= breakAt), s => Assert.True(s.Status == 201 || s is { Status: 503, Code: "unavailable" }, $"write: {s}"));
        var firstOk = load.Writes.Where(s => s.Start >= restartedAt && s.Status == 201).Select(s => s.End).DefaultIfEmpty(double.NaN).Min();
        figures.Add("writes succeed again (s after the restart began)", Seconds(firstOk - restartedAt));
        Assert.False(double.IsNaN(firstOk), "no write succeeded after the primary returned");
        await load.AssertWritesSucceededAndKeptAsync(figures, failuresAllowed: true);
    }

    private static string Seconds(double ms) => (ms / 1000).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Three readers and one writer against the balancer, bounded in time and count.</summary>
    private sealed class Load(LocalCluster cluster)
    {
        public sealed record Sample(string Kind, double Start, double End, int Status, string? Code, bool RetryAfter, string? Error);

        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly ConcurrentQueue<Guid> acknowledged = new();
        public ConcurrentQueue<Sample> Samples { get; } = new();
        public double Now => clock.Elapsed.TotalMilliseconds;
        public List<Sample> Reads => Samples.Where(s => s.Kind == "read").ToList();
        public List<Sample> Writes => Samples.Where(s => s.Kind == "write").ToList();

        /// <summary>Runs the load for <paramref name="before"/>, breaks something, goes on for <paramref name="after"/>; returns when the break began (ms).</summary>
        public async Task<double> RunAsync(TimeSpan before, TimeSpan after, Func<Task> breakSomething)
        {
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, 3).Select(i => ReadLoop(i, stop.Token)).Append(WriteLoop(stop.Token)).ToList();
            await Task.Delay(before);
            var breakAt = Now;
            await breakSomething();
            await Task.Delay(after);
            stop.Cancel();
            await Task.WhenAll(loops);
            return breakAt;
        }

        private async Task ReadLoop(int reader, CancellationToken stop)
        {
            using var client = cluster.Client(key: null, timeout: TimeSpan.FromSeconds(10));
            for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
            {
                // Every other read is new to the cache (a database read, from the standby); the rest repeat (cache hits).
                var url = i % 2 == 0 ? $"/v1/people?limit=3&q=r{reader}x{i}" : "/v1/people?limit=3";
                await Measure("read", () => client.GetAsync(url));
                await Task.Delay(10, CancellationToken.None);
            }
        }

        private async Task WriteLoop(CancellationToken stop)
        {
            using var client = cluster.Client(timeout: TimeSpan.FromSeconds(10));
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                var slug = $"drill-{i}-{Guid.NewGuid():N}"[..30];
                HttpResponseMessage? kept = null;
                var sample = await Measure("write", async () => kept = await client.PostAsJsonAsync("/v1/people", new { slug, name = $"Drill {i}" }));
                if (sample.Status == 201 && kept is not null)
                    acknowledged.Enqueue(Guid.Parse((string)JsonNode.Parse(await kept.Content.ReadAsStringAsync())!["id"]!));
                await Task.Delay(50, CancellationToken.None);
            }
        }

        private async Task<Sample> Measure(string kind, Func<Task<HttpResponseMessage>> send)
        {
            var start = Now;
            Sample sample;
            try
            {
                var response = await send();
                var text = await response.Content.ReadAsStringAsync();
                string? code = null;
                if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                    code = (string?)JsonNode.Parse(text)?["code"];
                sample = new Sample(kind, start, Now, (int)response.StatusCode, code, response.Headers.RetryAfter is not null, null);
                // The body is read again by the writer for the new id.
                response.Content = new StringContent(text);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                sample = new Sample(kind, start, Now, 0, null, false, e.GetType().Name + ": " + e.Message);
            }
            Samples.Enqueue(sample);
            return sample;
        }

        /// <summary>Every acknowledged create is in the primary; with <paramref name="failuresAllowed"/> false, every write succeeded.</summary>
        public async Task AssertWritesSucceededAndKeptAsync(Figures figures, bool failuresAllowed)
        {
            var writes = Writes;
            figures.Add("writes acknowledged / sent", $"{acknowledged.Count} / {writes.Count}");
            if (!failuresAllowed)
                Assert.All(writes, s => Assert.True(s.Status == 201, $"write: {s}"));
            Assert.NotEmpty(acknowledged);
            var ids = acknowledged.ToArray();
            var found = 0L;
            var deadline = Stopwatch.StartNew();
            // The primary may still be starting after a drill that stopped it.
            while (true)
            {
                try
                {
                    await using var conn = new NpgsqlConnection(cluster.PrimaryConnectionString);
                    await conn.OpenAsync();
                    await using var cmd = new NpgsqlCommand("select count(*) from people where id = any(@ids)", conn);
                    cmd.Parameters.AddWithValue("ids", ids);
                    found = (long)(await cmd.ExecuteScalarAsync())!;
                    break;
                }
                catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(500);
                }
            }
            figures.Add("acknowledged writes found afterwards", $"{found} / {ids.Length}");
            Assert.Equal(ids.Length, found);
            // Readers through the balancer see the last acknowledged write once the cache is evicted on every node.
            using var reader = cluster.Client(key: null);
            var last = ids[^1];
            var seen = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                status = (await reader.GetAsync($"/v1/people/{last}")).StatusCode;
                if (status == HttpStatusCode.OK) break;
                await Task.Delay(200);
            } while (seen.Elapsed < TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }
}
