using System.Globalization;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

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
