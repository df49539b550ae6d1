using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace ContentApi.Tests.Reliability;

/// <summary>The app as its own process (dotnet ContentApi.dll), for what only a real process shows: signals, exit codes, crashes.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();

    public Uri BaseAddress { get; }
    public int Port { get; }

    private AppProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public static async Task<AppProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null, TimeSpan? startTimeout = null)
    {
        var port = Net.FreePort();
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet", Path.Combine(dir, "ContentApi.dll"))
        {
            WorkingDirectory = dir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Content"] = connectionString;
        info.Environment["Auth__BootstrapAdminKey"] = ContentApiFactory.AdminKey;
        info.Environment["Pagination__CursorSecret"] = ContentApiFactory.CursorSecret;
        info.Environment["RateLimits__Enabled"] = "false";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key.Replace(":", "__")] = value;

        var process = Process.Start(info)!;
        var app = new AppProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app.log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app.log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var limit = startTimeout ?? TimeSpan.FromSeconds(60);
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The app exited with {process.ExitCode} while starting:\n{app.Log}");
            try
            {
                if ((await probe.GetAsync("/health/live")).IsSuccessStatusCode)
                    return app;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"The app did not answer /health/live within {limit}:\n{app.Log}");
    }

    public string Log => string.Join("\n", log);

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public int Pid => process.Id;

    public HttpClient Client(string? key = ContentApiFactory.AdminKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new Conformance.ContractValidatingHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }))
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does.</summary>
    public void Terminate()
    {
        if (Kill(process.Id, 15) != 0)
            throw new InvalidOperationException($"kill(SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit; true when it did within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
