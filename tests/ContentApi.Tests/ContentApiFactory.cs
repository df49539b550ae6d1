using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace ContentApi.Tests;

/// <summary>
/// Hosts the real app against a fresh database on a real PostgreSQL: the one named by CONTENTAPI_TEST_CONNECTION
/// (test.sh starts it), or one this fixture starts with scripts/pg.sh. The app applies the migrations itself at start.
/// </summary>
public sealed class ContentApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    /// <summary>The Testing environment is not Development: the committed default secret would be refused.</summary>
    public const string CursorSecret = "test-cursor-secret-0123456789abcdef-0123456789";

    public string ConnectionString { get; } = TestDatabase.CreateConnectionString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Content", ConnectionString);
        builder.UseSetting("Auth:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Pagination:CursorSecret", CursorSecret);
        // Tests write in bursts; RateLimitTests runs its own host with small budgets.
        builder.UseSetting("RateLimits:Enabled", "false");
        // Many tests send wrong keys on purpose; WrongKeyFloodTests runs its own host with a small budget.
        builder.UseSetting("Auth:Failures:Burst", "10000");
        builder.UseSetting("Auth:Failures:PerSecond", "10000");
        // Ranked search looks for its window among the newest 8,192 rows first; with 64 a test database takes the
        // paths a large archive takes (the weekly index, widening spans), and every ranked search test checks them.
        builder.UseSetting("Search:WindowFirstSpan", "64");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    /// <summary>Extra configuration for a differently configured host (see <see cref="ContentApiFactory(IDictionary{string, string})"/>).</summary>
    private IDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public ContentApiFactory() { }

    // Internal: xunit wants one public constructor on a fixture; tests in this assembly still call it.
    internal ContentApiFactory(IDictionary<string, string> settings) => Settings = settings;

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>
    /// A client through the real pipeline whose every answer is validated against openapi/v1.json
    /// (<see cref="Conformance.ContractValidatingHandler"/>); hides the base method so every test's client does it.
    /// </summary>
    public new HttpClient CreateClient() =>
        CreateDefaultClient(ClientOptions.BaseAddress, new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(ClientOptions.MaxAutomaticRedirections),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(), new Conformance.ContractValidatingHandler());

    public Task InitializeAsync()
    {
        _ = Server; // start the host: migrations run now, not inside the first test
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ContentApiFactory>
{
    public const string Name = "api";
}

public static class TestDatabase
{
    private static readonly Lazy<string> Server = new(StartOrFind);

    /// <summary>A connection string to a database that does not exist yet, with a unique name.</summary>
    public static string CreateConnectionString(string prefix = "contentapi_test")
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.Value)
        {
            Database = $"{prefix}_{Guid.NewGuid():N}",
            Pooling = true,
        };
        return builder.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        NpgsqlConnection.ClearAllPools();
        builder.Database = "postgres";
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string StartOrFind()
    {
        var configured = Environment.GetEnvironmentVariable("CONTENTAPI_TEST_CONNECTION");
        if (!string.IsNullOrEmpty(configured))
            return configured;

        // Same way as test.sh: the repository's own script starts a throwaway server.
        var root = RepoRoot();
        var dir = Path.Combine(root, ".pgdata", "test-fixture");
        const int port = 55434;
        Run(Path.Combine(root, "scripts", "pg.sh"), $"start {dir} {port}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(Path.Combine(root, "scripts", "pg.sh"), $"stop {dir}");
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContentApi.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ContentApi.sln not found above the test binaries.");
    }

    private static void Run(string file, string args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} exited with {process.ExitCode}.");
    }
}
