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
        var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var balancer = new Balancer(process, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < UpTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"haproxy exited {process.ExitCode}: {await stderr}");
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
