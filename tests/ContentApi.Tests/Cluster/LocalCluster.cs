using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Npgsql;

namespace ContentApi.Tests.Cluster;

/// <summary>
/// A cluster started by scripts/cluster.sh (primary, standby, Redis, two API nodes, HAProxy) in a state folder and
/// on ports of its own, so it never meets a developer's cluster; disposed with `cluster.sh down` and the folder removed.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const string AdminKey = "cluster-admin-key-0123456789abcdef";
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(8);

    public string State { get; } = Path.Combine(TestDatabase.RepoRoot(), ".pgdata", $"cluster-test-{Guid.NewGuid():N}"[..28]);
    public int BalancerPort { get; private set; }
    public int PrimaryPort { get; private set; }
    public int StandbyPort => PrimaryPort + 1;
    public int RedisPort { get; private set; }
    public int NodePort { get; private set; }
    public string PrimaryConnectionString => $"Host=127.0.0.1;Port={PrimaryPort};Username=postgres;Database=contentapi;Pooling=false;Timeout=5";
    public string StandbyConnectionString => $"Host=127.0.0.1;Port={StandbyPort};Username=postgres;Database=contentapi;Pooling=false;Timeout=5";

    public async Task InitializeAsync()
    {
        PrimaryPort = FreePorts(2);
        NodePort = FreePorts(2);
        BalancerPort = FreePorts();
        RedisPort = FreePorts();
        await UpAsync();
    }

    public async Task DisposeAsync()
    {
        try { await ScriptAsync("down", TimeSpan.FromMinutes(2)); }
        finally { try { Directory.Delete(State, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    /// <summary>`cluster.sh up`: starts every part that is not running (all of them the first time).</summary>
    public Task UpAsync() => ScriptAsync("up", UpTimeout);

    public async Task<string> StatusAsync() => await ScriptAsync("status", TimeSpan.FromSeconds(30));

    public HttpClient Client(string? key = AdminKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{BalancerPort}"), Timeout = timeout ?? TimeSpan.FromSeconds(15) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The pid a part's pid file names (PostgreSQL's own postmaster.pid for the databases).</summary>
    public int Pid(string part)
    {
        var file = part switch
        {
            "primary" or "standby" => Path.Combine(State, part, "postmaster.pid"),
            _ => Path.Combine(State, part + ".pid"),
        };
        return int.Parse(File.ReadLines(file).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Kill(string part) => Process.GetProcessById(Pid(part)).Kill(entireProcessTree: false);

    /// <summary>A fast shutdown of the primary (what an operator's stop or a failover does), through the repo's script.</summary>
    public Task StopPrimaryAsync() => RunAsync(Path.Combine(TestDatabase.RepoRoot(), "scripts", "pg.sh"), $"stop {Path.Combine(State, "primary")}", TimeSpan.FromMinutes(1));

    private async Task<string> ScriptAsync(string verb, TimeSpan timeout) =>
        await RunAsync(Path.Combine(TestDatabase.RepoRoot(), "scripts", "cluster.sh"), verb, timeout);

    private async Task<string> RunAsync(string file, string args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestDatabase.RepoRoot(),
        };
        start.Environment["CLUSTER_DIR"] = State;
        start.Environment["CLUSTER_PORT"] = BalancerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CLUSTER_PG_PORT"] = PrimaryPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CLUSTER_REDIS_PORT"] = RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CLUSTER_NODE_PORT"] = NodePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The test run already built the app in Release; the load comes from one address, so no per-IP limits.
        start.Environment["CLUSTER_NO_BUILD"] = "1";
        start.Environment["RateLimits__Enabled"] = "false";
        start.Environment["Content__LoadSample"] = "false";
        start.Environment["Auth__BootstrapAdminKey"] = AdminKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {args} took longer than {timeout}:\n{await stdout}\n{await stderr}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {args} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    /// <summary>
    /// Free ports for the cluster's servers, below the kernel's ephemeral range (32768 and up): ports from there can be
    /// taken by any outgoing connection between the check and the server's bind. <paramref name="count"/> consecutive
    /// ones (the script puts the standby and the second node on port + 1).
    /// </summary>
    private static int FreePorts(int count = 1)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000 - count);
            if (Enumerable.Range(port, count).All(IsFree)) return port;
        }
        throw new InvalidOperationException($"no {count} consecutive free ports");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
