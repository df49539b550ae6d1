using System.Diagnostics;

namespace ContentApi.Tests.Reliability;

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
