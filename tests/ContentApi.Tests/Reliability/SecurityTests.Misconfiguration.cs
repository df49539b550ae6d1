using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API8: security misconfiguration.</summary>
public sealed partial class SecurityTests
{
    [Fact]
    public async Task Api8_SecurityHeaders_OnEveryKindOfAnswer_AndNoServerBanner()
    {
        using var admin = app.Client();
        using var anonymous = app.Client(key: null);
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("200 list", await anonymous.GetAsync("/v1/articles")),
            ("404 problem", await anonymous.GetAsync("/v1/articles/no-such-thing")),
            ("401 problem", await anonymous.GetAsync("/v1/keys")),
            ("400 problem", await admin.GetAsync("/v1/articles?limit=0")),
            ("405 problem", await admin.DeleteAsync("/v1/articles")),
            ("404 unknown route", await anonymous.GetAsync("/nothing/here")),
            ("health", await anonymous.GetAsync("/health/live")),
            ("swagger json", await anonymous.GetAsync("/swagger/v1/swagger.json")),
        };
        foreach (var (what, response) in answers)
        {
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", $"{what}: no X-Content-Type-Options: nosniff");
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{what}: no X-Frame-Options: DENY");
            Assert.True(response.Headers.Contains("Content-Security-Policy"), $"{what}: no Content-Security-Policy");
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", $"{what}: no Referrer-Policy");
            Assert.False(response.Headers.Contains("Server"), $"{what}: Server header {string.Join(",", response.Headers.Server)}");
            Assert.False(response.Headers.Contains("X-Powered-By"), $"{what}: X-Powered-By");
        }
        figures.Add("API8 answers checked for security headers", answers.Count);
    }

    [Fact]
    public async Task Api8_SwaggerUi_IsServedUnderAStrictCsp_ThatItsPageSatisfies()
    {
        using var anonymous = app.Client(key: null);
        var page = await anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToList());
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.DoesNotContain("'unsafe-eval'", csp);
        Assert.DoesNotContain("*", csp);
        // The page itself needs nothing the policy forbids: every script is a file from our own origin.
        var html = await page.Content.ReadAsStringAsync();
        var scripts = Regex.Matches(html, "<script([^>]*)>(.*?)</script>", RegexOptions.Singleline);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s =>
        {
            Assert.Matches("src=[\"'](\\./)?[a-z0-9-]+(\\.[a-z0-9]+)*\\.js[\"']", s.Groups[1].Value);
            Assert.True(string.IsNullOrWhiteSpace(s.Groups[2].Value), "inline script under script-src 'self'");
        });
        Assert.DoesNotMatch(" on[a-z]+=", html);
        // Our own script among them (Swagger UI's lock plugin) is served from the same origin, as JavaScript.
        var plugin = await anonymous.GetAsync("/swagger/optional-key.js");
        Assert.Equal(HttpStatusCode.OK, plugin.StatusCode);
        Assert.Equal("text/javascript", plugin.Content.Headers.ContentType?.MediaType);
        // The API's own answers get the strictest policy of all.
        var api = await anonymous.GetAsync("/v1/articles");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", string.Join(";", api.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Api8_Cors_IsOffByDefault_AndAllowsOnlyConfiguredOrigins()
    {
        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/v1/articles");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return request;
        }
        static HttpRequestMessage Simple(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
            request.Headers.Add("Origin", origin);
            return request;
        }

        using var anonymous = app.Client(key: null);
        foreach (var origin in new[] { "https://app.example", "https://evil.example", "null" })
        {
            Assert.False((await anonymous.SendAsync(Preflight(origin))).Headers.Contains("Access-Control-Allow-Origin"), $"default host allows {origin} (preflight)");
            Assert.False((await anonymous.SendAsync(Simple(origin))).Headers.Contains("Access-Control-Allow-Origin"), $"default host allows {origin}");
        }

        await using var configured = KestrelApp.Start(new Dictionary<string, string> { ["Cors:AllowedOrigins:0"] = "https://app.example" });
        using var browser = configured.Client(key: null);
        var allowed = await browser.SendAsync(Preflight("https://app.example"));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.OrdinalIgnoreCase);
        var get = await browser.SendAsync(Simple("https://app.example"));
        Assert.Equal("https://app.example", get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", string.Join(",", get.Headers.GetValues("Access-Control-Expose-Headers")));
        foreach (var origin in new[] { "https://evil.example", "https://app.example.evil.example", "http://app.example", "null" })
        {
            Assert.False((await browser.SendAsync(Preflight(origin))).Headers.Contains("Access-Control-Allow-Origin"), $"configured host allows {origin} (preflight)");
            Assert.False((await browser.SendAsync(Simple(origin))).Headers.Contains("Access-Control-Allow-Origin"), $"configured host allows {origin}");
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public async Task Api8_AServerFault_IsABare500_WithoutStackOrSql_AndIsLoggedForOperators(string environment)
    {
        await using var broken = KestrelApp.Start(environment: environment);
        using var admin = broken.Client();
        var person = await admin.CreatePerson(name: "Jake Sullivan");
        // Break the schema under the running app: its queries now fail inside PostgreSQL with SQL in the message.
        await Sql.Scalar<int>(broken.ConnectionString, "alter table people rename column name to name_gone; select 1");
        var response = await admin.GetAsync($"/v1/people/{person.Id()}");
        var problem = await response.Problem(HttpStatusCode.InternalServerError, "internal_error");
        var text = problem.ToJsonString();
        foreach (var secret in new[] { "name_gone", "column", "select", "Npgsql", "Postgres", "Exception", "   at ", ".cs", "42703" })
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "code", "detail", "status", "title", "traceId", "type" }, problem.Select(p => p.Key).Order(StringComparer.Ordinal));
        // The operator sees what happened, under the trace id the client was given.
        Assert.Contains(broken.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Contains("42703", StringComparison.Ordinal) == true);
    }
}
