using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ContentApi.Tests.Reliability;

namespace ContentApi.Tests.Cluster;

/// <summary>
/// HAProxy run from the deployed config, scripts/compose/haproxy.cfg (as scripts/cluster.sh runs it), on a free loopback
/// port in front of the two node addresses given; stopped (its process killed) on dispose.
/// </summary>
public sealed class Balancer : IDisposable
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(15);
    private readonly Process process;

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public static string ConfigFile => Path.Combine(TestDatabase.RepoRoot(), "scripts", "compose", "haproxy.cfg");

    private Balancer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public static async Task<Balancer> StartAsync(string node1, string node2)
    {
        var port = Net.FreePort();
        // -db: in the foreground, so the process is ours to kill.
        var start = new ProcessStartInfo("haproxy", $"-db -f {ConfigFile}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CONTENTAPI_LB_BIND"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["CONTENTAPI_NODE_1"] = node1;
        start.Environment["CONTENTAPI_NODE_2"] = node2;
        var process = new Process { StartInfo = start };
        var balancer = new Balancer(process, port);
        // Its log says why a node went down (a slow /health/ready check on a loaded machine, say): failure messages quote it.
        process.OutputDataReceived += (_, e) => balancer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => balancer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < UpTimeout)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"haproxy exited {process.ExitCode}: {balancer.Log}");
            }
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync("127.0.0.1", port);
                return balancer;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        balancer.Dispose();
        throw new TimeoutException($"haproxy did not listen on {port} within {UpTimeout}");
    }

    private readonly System.Text.StringBuilder log = new();

    public string Log
    {
        get { lock (log) return log.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>Until a request through the balancer reaches a node (its first health checks have passed).</summary>
    public async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < UpTimeout)
        {
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no node answered through haproxy within {UpTimeout}: {Log}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        process.Dispose();
    }
}
