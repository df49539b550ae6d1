using System.Net;
using System.Text.Json.Nodes;
using ContentApi.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Cluster;

/// <summary>
/// What makes a node one of many, on one real PostgreSQL and in-process hosts: readers' reads through the replicas'
/// data source, editors' through the primary; a write on one node evicting another node's cache without Redis; the
/// readiness answer per data source and while stopping.
/// </summary>
public sealed class NodeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ReadersReadThroughTheReplicas_PastADeadStandby_EditorsAndWritesThroughThePrimary()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.CreateConnectionString());
        var marker = $"replica-{Guid.NewGuid():N}"[..24];
        var dead = ContentApi.Tests.Reliability.Net.FreePort();
        // A standby that is down first, then the primary's own address (which the app appends last anyway).
        var replicas = $"Host=127.0.0.1:{dead},{server.Host}:{server.Port};Application Name={marker}";
        await using var factory = new ContentApiFactory(new Dictionary<string, string>
        {
            ["ConnectionStrings:ContentReplicas"] = replicas,
            ["Delivery:OutputCacheSeconds"] = "0",
        });
        await factory.InitializeAsync();
        using var admin = factory.Admin();
        using var anonymous = factory.Anonymous();

        var person = await admin.CreatePerson("Replica Reader");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/people/{person.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/people?limit=5")).StatusCode);
        Assert.Equal(0, await ConnectionsNamed(marker));

        var read = await anonymous.GetOk($"/v1/people/{person.Id()}");
        Assert.Equal("Replica Reader", (string)read["name"]!);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/people?limit=5")).StatusCode);
        Assert.True(await ConnectionsNamed(marker) >= 1, "a reader's read did not use the replicas' data source");

        var ready = await admin.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string)body["status"]!);
        Assert.Equal("Healthy", (string)body["checks"]!["content-primary"]!);
        Assert.Equal("Healthy", (string)body["checks"]!["content-replicas"]!);
        Assert.Equal("Healthy", (string)body["checks"]!["accepting"]!);
    }

    [Fact]
    public async Task WithoutStandbys_ReadinessNamesThePrimaryOnly()
    {
        await using var factory = new ContentApiFactory();
        await factory.InitializeAsync();
        using var client = factory.Anonymous();
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal(["accepting", "content-primary"], checks.Select(c => c.Key).Order());
    }

    [Fact]
    public async Task AWriteOnOneNode_EvictsTheOtherNodesInMemoryCache_ThroughListenNotify()
    {
        await using var nodeA = new ContentApiFactory(new Dictionary<string, string> { ["Delivery:OutputCacheSeconds"] = "300" });
        await nodeA.InitializeAsync();
        // The same settings and database, a host of its own: another node with its own in-memory cache.
        await using var nodeB = nodeA.WithWebHostBuilder(_ => { });
        using var writer = nodeA.Admin();
        using var readerB = nodeB.CreateClient();

        var person = await writer.CreatePerson("Before");
        var url = $"/v1/people/{person.Id()}";
        // Asked twice, so node B stores the answer (CacheAdmission).
        Assert.Equal("Before", (string)(await readerB.GetOk(url))["name"]!);
        Assert.Equal("Before", (string)(await readerB.GetOk(url))["name"]!);
        // Behind the API's back: node B keeps answering from its cache.
        await using (var conn = new NpgsqlConnection(nodeA.ConnectionString))
        {
            await conn.OpenAsync();
            await using var sneak = new NpgsqlCommand("update people set name = 'Sneaked' where id = @id", conn);
            sneak.Parameters.AddWithValue("id", person.Id());
            Assert.Equal(1, await sneak.ExecuteNonQueryAsync());
        }
        Assert.Equal("Before", (string)(await readerB.GetOk(url))["name"]!);

        var current = await writer.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        var put = await writer.Put(url, new { slug = (string)person["slug"]!, name = "After" }, current.ETag());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var seen = "";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Bound && (seen = (string)(await readerB.GetOk(url))["name"]!) != "After")
            await Task.Delay(100);
        Assert.Equal("After", seen);
    }

    [Fact]
    public async Task Readiness_FailsFromTheMomentTheHostStartsStopping()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var check = new AcceptingHealthCheck(lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        lifetime.StopApplication();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private static async Task<long> ConnectionsNamed(string applicationName)
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.CreateConnectionString()) { Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pg_stat_activity where application_name = @name", conn);
        cmd.Parameters.AddWithValue("name", applicationName);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
