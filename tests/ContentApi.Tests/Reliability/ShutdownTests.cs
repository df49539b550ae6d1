using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// SIGTERM, as an orchestrator sends it, to the app running as its own process: the request in flight finishes, new
/// connections are refused at once, and the process exits cleanly within Shutdown:TimeoutSeconds. The in-flight
/// request is slow for a reason of its own: another transaction holds a lock on the row it updates.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class ShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_shutdown");
    private readonly Figures figures = new(output, "shutdown");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    private sealed record InFlight(AppProcess App, Guid PersonId, NpgsqlConnection LockHolder, Task<HttpResponseMessage> Request, HttpClient Client);

    /// <summary>Starts the app, locks a person's row and sends a PUT of that person, which waits for the lock.</summary>
    private async Task<InFlight> StartAsync(int shutdownSeconds)
    {
        var app = await AppProcess.StartAsync(connectionString, new Dictionary<string, string>
        {
            ["Shutdown:TimeoutSeconds"] = shutdownSeconds.ToString(CultureInfo.InvariantCulture),
        });
        var client = app.Client(timeout: TimeSpan.FromSeconds(60));
        var person = await client.PostOk("/v1/people", new { slug = TestData.Slug("shutdown"), name = "Before" });
        var holder = new NpgsqlConnection(Sql.Unpooled(connectionString));
        await holder.OpenAsync();
        await using (var lockRow = new NpgsqlCommand("begin; select 1 from people where id = @id for no key update", holder))
        {
            lockRow.Parameters.AddWithValue("id", person.Id());
            await lockRow.ExecuteNonQueryAsync();
        }
        var request = client.Put($"/v1/people/{person.Id()}", new { slug = (string)person["slug"]!, name = "After" }, "\"1\"");
        await using var watcher = new NpgsqlConnection(Sql.Unpooled(connectionString));
        await watcher.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await using var probe = new NpgsqlCommand("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%update people%'", watcher);
            if ((long)(await probe.ExecuteScalarAsync())! > 0)
                return new InFlight(app, person.Id(), holder, request, client);
            await Task.Delay(20);
        }
        throw new TimeoutException("the PUT never started waiting for the row lock");
    }

    [Fact]
    public async Task OnSigterm_TheInFlightRequestCompletes_NewConnectionsAreRefused_AndTheProcessExitsZero()
    {
        const int timeout = 10;
        var run = await StartAsync(timeout);
        await using var app = run.App;
        using var client = run.Client;
        await using var holder = run.LockHolder;

        var clock = Stopwatch.StartNew();
        app.Terminate();
        var refusedAfter = TimeSpan.MaxValue;
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (await Net.RefusesConnectionsAsync(app.Port))
            {
                refusedAfter = clock.Elapsed;
                break;
            }
            await Task.Delay(25);
        }
        // A new client on a new connection is turned away; the request in flight is still waiting.
        using (var newcomer = app.Client(timeout: TimeSpan.FromSeconds(5)))
            await Assert.ThrowsAsync<HttpRequestException>(() => newcomer.GetAsync("/health/live"));
        Assert.False(run.Request.IsCompleted, "the in-flight request ended before its lock was released");
        Assert.False(app.HasExited, "the process exited with a request in flight");

        await Task.Delay(1000);
        await using (var commit = new NpgsqlCommand("commit", holder))
            await commit.ExecuteNonQueryAsync();
        var response = await run.Request;
        var completedAfter = clock.Elapsed;
        var exited = await app.WaitForExitAsync(TimeSpan.FromSeconds(timeout + 2));
        var exitedAfter = clock.Elapsed;

        figures.Add("new connections refused after SIGTERM (ms)", refusedAfter == TimeSpan.MaxValue ? -1 : (int)refusedAfter.TotalMilliseconds);
        figures.Add("in-flight request completed after SIGTERM (ms)", (int)completedAfter.TotalMilliseconds);
        figures.Add("in-flight request status", (int)response.StatusCode);
        figures.Add($"process exited after SIGTERM (ms, limit {timeout} s)", exited ? (int)exitedAfter.TotalMilliseconds : -1);
        figures.Add("exit code", exited ? app.ExitCode : -1);

        Assert.True(refusedAfter < TimeSpan.FromSeconds(2), $"new connections were still accepted {refusedAfter} after SIGTERM");
        var body = await response.Json();
        Assert.Equal("After", (string?)body["name"]);
        Assert.Equal(2, (int)body["version"]!);
        Assert.True(exited, $"the process was still running {timeout + 2} s after SIGTERM");
        Assert.Equal(0, app.ExitCode);
        Assert.True(exitedAfter < TimeSpan.FromSeconds(timeout), $"exit took {exitedAfter}, beyond Shutdown:TimeoutSeconds={timeout}");
        Assert.Equal("After|2", await Sql.Scalar<string>(connectionString, "select name || '|' || version from people where id = @id", ("id", run.PersonId)));
        Assert.Contains("Application is shutting down", app.Log);
        Assert.DoesNotContain(ContentApiFactory.AdminKey, app.Log);
    }

    [Fact]
    public async Task OnSigterm_ARequestThatOutlivesTheTimeout_DoesNotKeepTheProcessAlive_AndWritesNothingHalfWay()
    {
        const int timeout = 3;
        var run = await StartAsync(timeout);
        await using var app = run.App;
        using var client = run.Client;
        await using var holder = run.LockHolder;

        var clock = Stopwatch.StartNew();
        app.Terminate();
        var exited = await app.WaitForExitAsync(TimeSpan.FromSeconds(timeout + 5));
        var exitedAfter = clock.Elapsed;
        await using (var rollback = new NpgsqlCommand("rollback", holder))
            await rollback.ExecuteNonQueryAsync();
        string seen;
        try
        {
            seen = ((int)(await run.Request).StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e)
        {
            seen = "connection closed (" + e.HttpRequestError + ")";
        }

        figures.Add($"stuck request: process exited after SIGTERM (ms, limit {timeout} s)", exited ? (int)exitedAfter.TotalMilliseconds : -1);
        figures.Add("stuck request: exit code", exited ? app.ExitCode : -1);
        figures.Add("stuck request: what the client saw", seen);

        Assert.True(exited, $"the process was still running {timeout + 5} s after SIGTERM");
        Assert.True(exitedAfter < TimeSpan.FromSeconds(timeout + 2), $"exit took {exitedAfter} with Shutdown:TimeoutSeconds={timeout}");
        Assert.Equal(0, app.ExitCode);
        // The update never committed: its connection went with the process.
        Assert.Equal("Before|1", await Sql.Scalar<string>(connectionString, "select name || '|' || version from people where id = @id", ("id", run.PersonId)));
    }
}
