using System.Diagnostics;

namespace ContentApi.Tests.Foundation;

/// <summary>The command-line verbs without a database: one line that says what to set (the one ./run.sh uses), no stack trace.</summary>
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(IDictionary<string, string?> env, params string[] args)
    {
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(dir, "ContentApi.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("ConnectionStrings__Content");
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("keys", "list")]
    public async Task AVerbWithoutAConnectionString_SaysInOneLineWhatToSet(params string[] args)
    {
        var (code, _, err) = await RunAsync(new Dictionary<string, string?>(), args);
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + err);
        Assert.Contains("ConnectionStrings__Content", lines[0]);
        Assert.Contains("Port=55432", lines[0]);
    }

    [Fact]
    public async Task TheControl_AnUnknownVerbWithAConnectionString_GetsPastTheCheck()
    {
        var (code, _, err) = await RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Content"] = "Host=127.0.0.1;Port=1;Username=x" }, "frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("Unknown command 'frobnicate'", err);
    }
}
