using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Delivery;

/// <summary>Shared helpers of the delivery tests: API keys, the route table, markers and direct SQL checks.</summary>
internal static class DeliveryTestKit
{
    /// <summary>One endpoint of the route table: its pattern without a trailing slash ("/v1/articles/{idOrSlug}") and method.</summary>
    public sealed record Route(string Pattern, string Method)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    /// <summary>Every (pattern, method) the app maps under /v1, straight from the routing system.</summary>
    public static IReadOnlyList<Route> V1Routes(IServiceProvider services)
    {
        var routes = new List<Route>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (pattern != "/v1" && !pattern.StartsWith("/v1/", StringComparison.Ordinal))
                continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            // An endpoint without method metadata answers every method: report it as "*" so no rule matches it silently.
            foreach (var method in methods is { Count: > 0 } ? methods : ["*"])
                routes.Add(new Route(pattern, method));
        }
        Assert.NotEmpty(routes);
        return routes.Distinct().OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    /// <summary>The pattern with every {parameter} (with or without constraint) replaced by <paramref name="value"/>.</summary>
    public static string Fill(string pattern, string value) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", value);

    public static async Task<(Guid Id, string Key)> CreateKey(this HttpClient admin, string role, string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name = name ?? $"{role}-{Guid.NewGuid():N}", role });
        var body = await response.Json(HttpStatusCode.Created);
        Assert.Equal(role, (string?)body["role"]);
        return (body.Id(), (string)body["key"]!);
    }

    public static HttpClient WithKey(this ContentApiFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A unique word of lowercase letters only, so full-text search treats it as one plain word in any language.</summary>
    public static string Marker(string prefix = "zq") =>
        prefix + new string(Guid.NewGuid().ToString("N")[..14].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    /// <summary>Polls <paramref name="done"/> every 200 ms; fails after 20 s, naming <paramref name="what"/>.</summary>
    public static async Task WaitFor(Func<Task<bool>> done, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "not within 20 s: " + what);
            await Task.Delay(200);
        }
    }

    public static async Task<long> Scalar(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public static async Task Execute(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Starts a host with its own database and extra configuration; dispose it with <see cref="StopAsync"/>.</summary>
    public static async Task<ContentApiFactory> StartAsync(IDictionary<string, string> settings)
    {
        var factory = new ContentApiFactory(settings);
        await factory.InitializeAsync();
        return factory;
    }

    public static Task StopAsync(this ContentApiFactory factory) => ((IAsyncLifetime)factory).DisposeAsync();
}
