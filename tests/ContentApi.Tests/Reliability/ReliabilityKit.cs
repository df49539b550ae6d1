using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// The reliability tests share one collection: they measure latencies and run load on a small machine, so they run
/// one after another rather than against each other (other collections still run in parallel with them).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection
{
    public const string Name = "reliability";
}

/// <summary>
/// Figures a test reports: printed to the test output and appended to TestResults/reliability/figures.txt under the
/// repository (each line with the test process id, as runs may overlap), so a run's numbers can be copied into
/// docs/reliability.md.
/// </summary>
public sealed class Figures(ITestOutputHelper output, string check)
{
    private static readonly object FileLock = new();
    private readonly List<string> lines = [];

    public void Add(string name, object value)
    {
        var text = string.Format(CultureInfo.InvariantCulture, "{0} | {1} = {2}", check, name, value);
        lines.Add(text);
        output.WriteLine(text);
        lock (FileLock)
        {
            var dir = Path.Combine(TestDatabase.RepoRoot(), "TestResults", "reliability");
            Directory.CreateDirectory(dir);
            File.AppendAllText(Path.Combine(dir, "figures.txt"),
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} pid {Environment.ProcessId} {text}{Environment.NewLine}");
        }
    }

    public string Summary => string.Join("\n", lines);
}

/// <summary>The app on a real Kestrel socket (WebApplicationFactory.UseKestrel), over a fresh database.</summary>
public sealed class KestrelApp : IAsyncDisposable
{
    public ContentApiFactory Factory { get; }
    public WebApplicationFactory<Program> Host { get; }
    public Uri BaseAddress { get; }
    public LogCapture Logs { get; }

    private KestrelApp(ContentApiFactory factory, WebApplicationFactory<Program> host, Uri baseAddress, LogCapture logs)
    {
        Factory = factory;
        Host = host;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    /// <summary>Starts the app on Kestrel; every log entry (all levels) is captured in <see cref="Logs"/>.</summary>
    public static KestrelApp Start(IDictionary<string, string>? settings = null, string environment = "Testing")
    {
        var factory = new ContentApiFactory(settings ?? new Dictionary<string, string>());
        var logs = new LogCapture();
        var port = Net.FreePort();
        var host = factory.WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseUrls($"http://127.0.0.1:{port}");
            b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        host.UseKestrel();
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")))
            .First();
        return new KestrelApp(factory, host, address, logs);
    }

    public string ConnectionString => Factory.ConnectionString;

    /// <summary>A client on its own connection pool; <paramref name="key"/> null for anonymous.</summary>
    public HttpClient Client(string? key = ContentApiFactory.AdminKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new Conformance.ContractValidatingHandler(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = DecompressionMethods.All,
        }))
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await ((IAsyncLifetime)Factory).DisposeAsync();
    }
}

/// <summary>Keeps every log entry the app writes (message, exception and structured values), for tests to search.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, string? Exception, string State);

    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyCollection<Entry> Entries => entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? "";
            owner.entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception?.ToString(), values));
        }
    }
}

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

/// <summary>A PostgreSQL server of the test's own (scripts/pg.sh with its own folder and port), so the test may stop it.</summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public string Directory { get; }
    public int Port { get; }

    private PrivatePostgres(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public static async Task<PrivatePostgres> StartAsync(string name)
    {
        var dir = Path.Combine(TestDatabase.RepoRoot(), ".pgdata", $"{name}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var pg = new PrivatePostgres(dir, Net.FreePort());
        await pg.StartAgainAsync();
        return pg;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>Starts the server (again); returns when it accepts connections.</summary>
    public Task StartAgainAsync() => Script("start", $"{Directory} {Port}", "PG_FSYNC=on");

    /// <summary>scripts/pg.sh stop: a fast shutdown, sessions are terminated.</summary>
    public Task StopFastAsync() => Script("stop", Directory);

    /// <summary>pg_ctl stop -m immediate: the server goes away like a crash (no clean goodbye to sessions).</summary>
    public Task StopImmediateAsync()
    {
        var pgCtl = Path.Combine(BinDir(), "pg_ctl");
        var args = $"-D {Directory} -m immediate -w stop";
        // As scripts/pg.sh does: as root, PostgreSQL's tools run as the postgres user.
        return Environment.UserName == "root" ? Run("runuser", $"-u postgres -- {pgCtl} {args}") : Run(pgCtl, args);
    }

    private static string BinDir() =>
        Environment.GetEnvironmentVariable("PG_BINDIR") is { Length: > 0 } configured
            ? configured
            : System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version(0, 0)).Last() + "/bin";

    private static Task Script(string verb, string args, string? env = null) =>
        Run(Path.Combine(TestDatabase.RepoRoot(), "scripts", "pg.sh"), $"{verb} {args}", env);

    private static async Task Run(string file, string args, string? env = null)
    {
        var info = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (env is not null)
            info.Environment[env.Split('=')[0]] = env.Split('=')[1];
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} exited with {process.ExitCode}: {await stdout} {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopFastAsync();
        }
        finally
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

public static class Net
{
    /// <summary>A TCP port nobody listens on right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when a new TCP connection to the port is refused (nobody listens).</summary>
    public static async Task<bool> RefusesConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

public static class Sql
{
    public static async Task<T> Scalar<T>(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> Column<T>(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        var list = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add(reader.GetFieldValue<T>(0));
        return list;
    }

    /// <summary>A connection string that never pools, for test-side probes that must not keep stale sockets.</summary>
    public static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
}

public static class Text
{
    public static string Shorten(string s, int max = 300) => s.Length <= max ? s : s[..max] + $"...({s.Length} chars)";
}
