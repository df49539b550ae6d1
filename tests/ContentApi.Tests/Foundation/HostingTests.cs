using System.Text.Json;

namespace ContentApi.Tests.Foundation;

/// <summary>Runtime settings the app ships with (its runtimeconfig.json), chosen by measurement in bench/README.md.</summary>
public sealed class HostingTests
{
    [Fact]
    public void TheApp_ShipsWithThreadPoolWorkersThatDoNotSpin()
    {
        // The API shares its cores with PostgreSQL: spinning idle workers took a third of its CPU per search (item 10).
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ContentApi.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
