using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Delivery;

/// <summary>API keys and roles: every endpoint of the route table against anonymous, reader, editor and admin callers.</summary>
[Collection(ApiCollection.Name)]
public sealed class RoleMatrixTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    private enum Caller { Anonymous, Reader, Editor, Admin }

    private enum Expect { Allowed, Unauthorized, Forbidden }

    /// <summary>The access rule for one endpoint and caller, or null when the endpoint matches no rule.</summary>
    private static Expect? Rule(DeliveryTestKit.Route route, Caller caller)
    {
        if (route.Pattern == "/v1/keys" || route.Pattern.StartsWith("/v1/keys/", StringComparison.Ordinal)
            || route.Pattern == "/v1/webhooks" || route.Pattern.StartsWith("/v1/webhooks/", StringComparison.Ordinal))
            return caller switch { Caller.Anonymous => Expect.Unauthorized, Caller.Admin => Expect.Allowed, _ => Expect.Forbidden };
        // History (revisions, diff, restore, undelete) is editors' only, reads included.
        if (route.Pattern.Contains("/revisions", StringComparison.Ordinal) || route.Pattern.EndsWith("/restore", StringComparison.Ordinal))
            return caller switch { Caller.Anonymous => Expect.Unauthorized, Caller.Reader => Expect.Forbidden, _ => Expect.Allowed };
        if (route.Method == "GET")
            return Expect.Allowed;
        if (route.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            return caller switch { Caller.Anonymous => Expect.Unauthorized, Caller.Reader => Expect.Forbidden, _ => Expect.Allowed };
        return null;
    }

    private static HttpRequestMessage RequestFor(DeliveryTestKit.Route route)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), DeliveryTestKit.Fill(route.Pattern.Replace("{version:int}", "1"), Guid.NewGuid().ToString()));
        if (route.Method is "POST" or "PUT")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        else if (route.Method == "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, TestData.MergePatchType);
        return request;
    }

    [Fact]
    public async Task EveryV1Endpoint_AnswersEachRoleAsTheAccessRulesSay()
    {
        var routes = DeliveryTestKit.V1Routes(factory.Services);
        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Anonymous] = factory.Anonymous(),
            [Caller.Reader] = factory.WithKey((await admin.CreateKey("reader")).Key),
            [Caller.Editor] = factory.WithKey((await admin.CreateKey("editor")).Key),
            // A created admin key, not the bootstrap one: proves keys carry their role.
            [Caller.Admin] = factory.WithKey((await admin.CreateKey("admin")).Key),
        };

        var failures = new List<string>();
        var unmatched = routes.Where(r => Rule(r, Caller.Anonymous) is null).ToList();
        Assert.True(unmatched.Count == 0,
            "These endpoints match no access rule; add them to RoleMatrixTests.Rule: " + string.Join(", ", unmatched));
        // The table must contain what the contract names, so a broken enumeration cannot pass vacuously.
        foreach (var expected in new[] { "GET /v1/articles", "POST /v1/articles", "PATCH /v1/quotes/{id:guid}", "GET /v1/sync", "DELETE /v1/keys/{id:guid}" })
            Assert.Contains(expected, routes.Select(r => r.ToString()));

        foreach (var route in routes)
            foreach (var (caller, client) in clients)
            {
                var expect = Rule(route, caller)!.Value;
                var response = await client.SendAsync(RequestFor(route));
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                var what = $"{route} as {caller}: {status} {Truncate(text)}";

                if (status >= 500)
                    failures.Add($"{what} (server error)");
                else if (expect == Expect.Allowed && status != AllowedStatus(route))
                    failures.Add($"{what} (expected {AllowedStatus(route)}: past authorization, what this request is worth)");
                else if (expect == Expect.Unauthorized && !IsProblem(response, text, 401, "unauthorized"))
                    failures.Add($"{what} (expected 401 unauthorized problem)");
                else if (expect == Expect.Forbidden && !IsProblem(response, text, 403, "forbidden"))
                    failures.Add($"{what} (expected 403 forbidden problem)");
                else if (expect == Expect.Unauthorized && !response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"))
                    failures.Add($"{what} (401 without WWW-Authenticate: Bearer)");
            }
        Assert.True(failures.Count == 0, $"{failures.Count} of {routes.Count * 4} checks failed:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// What an allowed caller gets for <see cref="RequestFor"/>'s request (an unknown id, a body of <c>{}</c>): the
    /// endpoint's own answer, so a cell that is wrongly refused, or served for the wrong reason, fails.
    /// </summary>
    private static int AllowedStatus(DeliveryTestKit.Route route)
    {
        var byId = route.Pattern.Contains('{');
        return route.Method switch
        {
            "GET" when route.Pattern.EndsWith("/diff", StringComparison.Ordinal) => 400, // to= is required
            "GET" => byId ? 404 : 200,
            "POST" when route.Pattern.EndsWith("/revisions/{version:int}/restore", StringComparison.Ordinal) => 428, // no If-Match
            "POST" when route.Pattern.EndsWith("/restore", StringComparison.Ordinal) => 404, // nothing deleted with that id
            _ when route.Pattern.StartsWith("/v1/webhooks/{", StringComparison.Ordinal) => 404, // subscriptions take no If-Match
            "POST" when route.Pattern.EndsWith("/publish", StringComparison.Ordinal) || route.Pattern.EndsWith("/unpublish", StringComparison.Ordinal) => 404,
            "POST" => 400, // {} misses the required fields
            "PUT" => 428, // no If-Match: the header binds before the body is validated
            "PATCH" => 428, // no If-Match
            "DELETE" when route.Pattern.StartsWith("/v1/keys/", StringComparison.Ordinal) => 404, // revoking takes no If-Match
            "DELETE" => 428,
            _ => 0,
        };
    }

    private static bool IsProblem(HttpResponseMessage response, string text, int status, string code)
    {
        if ((int)response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return false;
        var problem = JsonNode.Parse(text);
        return (string?)problem?["code"] == code && (int?)problem?["status"] == status;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [Fact]
    public async Task UnknownKey_Returns401EvenOnReadsThatAnonymousMayDo()
    {
        var response = await factory.WithKey("cak_" + new string('x', 43)).GetAsync("/v1/articles");
        await response.Problem(HttpStatusCode.Unauthorized, "unauthorized");

        var malformed = factory.CreateClient();
        malformed.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        await (await malformed.GetAsync("/v1/people")).Problem(HttpStatusCode.Unauthorized, "unauthorized");

        // The same read without any key is fine: anonymous reads are on by default.
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_Returns401AtOnce()
    {
        var (id, key) = await admin.CreateKey("editor");
        var editor = factory.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/v1/articles?status=draft")).StatusCode);
        await editor.CreatePerson(); // used, so the key sits in the node's key cache

        var revoke = await admin.DeleteAsync($"/v1/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        await (await editor.GetAsync("/v1/articles")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        var write = await editor.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("person"), name = "Revoked Writer", aliases = Array.Empty<string>() });
        await write.Problem(HttpStatusCode.Unauthorized, "unauthorized");

        // Revoking again: there is no live key with that id any more.
        await (await admin.DeleteAsync($"/v1/keys/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
        var listed = (await admin.GetOk("/v1/keys"))["items"]!.AsArray().Single(k => k!.Id() == id)!;
        Assert.NotNull((string?)listed["revokedAt"]);
    }

    [Fact]
    public async Task CreatedKey_IsShownOnceAndTheListNeverContainsTheSecret()
    {
        var name = TestData.Token("ios-app");
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name, role = "reader" });
        var created = await response.Json(HttpStatusCode.Created);
        var key = (string)created["key"]!;
        var id = created.Id();
        Assert.Equal(name, (string?)created["name"]);
        Assert.Equal("reader", (string?)created["role"]);
        Assert.NotNull((string?)created["createdAt"]);
        Assert.EndsWith($"/v1/keys/{id}", response.Headers.Location!.ToString());
        // 256 random bits: at least 43 base64url characters after the prefix.
        Assert.Matches("^cak_[A-Za-z0-9_-]{43,}$", key);
        Assert.NotEqual(key, (await admin.CreateKey("reader")).Key);

        var listResponse = await admin.GetAsync("/v1/keys");
        var listText = await listResponse.Content.ReadAsStringAsync();
        var list = await listResponse.Json();
        Assert.DoesNotContain(key, listText);
        Assert.DoesNotContain(key[4..], listText);
        var item = list["items"]!.AsArray().Single(k => k!.Id() == id)!.AsObject();
        Assert.Equal(name, (string?)item["name"]);
        Assert.Equal("reader", (string?)item["role"]);
        Assert.True(key.StartsWith((string)item["prefix"]!, StringComparison.Ordinal), "prefix is the key's beginning");
        Assert.InRange(((string)item["prefix"]!).Length, 5, 12);
        Assert.Null((string?)item["revokedAt"]);
        Assert.False(item.ContainsKey("key"));
        Assert.False(item.ContainsKey("keyHash"));
        Assert.True(listResponse.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {listResponse.Headers.CacheControl}");

        // Neither the database holds the secret in clear.
        Assert.Equal(0, await DeliveryTestKit.Scalar(factory.ConnectionString,
            "select count(*) from api_keys t where t::text like '%' || @k || '%'", ("k", key[4..])));
    }

    [Fact]
    public async Task CreatedKeys_WorkWithTheirRole()
    {
        var reader = factory.WithKey((await admin.CreateKey("reader")).Key);
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        var newAdmin = factory.WithKey((await admin.CreateKey("admin")).Key);

        var draft = await editor.CreateArticle(TestData.Article(status: "draft"));
        Assert.Equal("draft", (string?)draft["status"]);
        // Editors see drafts; a reader key reads like anonymous: published only.
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync($"/v1/articles/{draft.Id()}")).StatusCode);
        await (await reader.GetAsync($"/v1/articles/{draft.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        var readerWrite = await reader.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("person"), name = "Nope", aliases = Array.Empty<string>() });
        await readerWrite.Problem(HttpStatusCode.Forbidden, "forbidden");

        await (await editor.GetAsync("/v1/keys")).Problem(HttpStatusCode.Forbidden, "forbidden");
        await (await editor.PostAsJsonAsync("/v1/keys", new { name = "escalate", role = "admin" })).Problem(HttpStatusCode.Forbidden, "forbidden");
        var (_, made) = await newAdmin.CreateKey("reader");
        Assert.Equal(HttpStatusCode.OK, (await factory.WithKey(made).GetAsync("/v1/people")).StatusCode);
    }

    [Fact]
    public async Task CreateKey_WithUnknownRole_Returns400()
    {
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name = "x", role = "superuser" });
        await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task AnonymousReadsOff_Anonymous401ButReaderKey200()
    {
        var host = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Auth:AllowAnonymousReads"] = "false" });
        try
        {
            var anonymous = host.Anonymous();
            foreach (var url in new[] { "/v1/articles", "/v1/people", "/v1/sync", $"/v1/quotes/{Guid.NewGuid()}" })
            {
                var response = await anonymous.GetAsync(url);
                await response.Problem(HttpStatusCode.Unauthorized, "unauthorized");
            }
            var reader = host.WithKey((await host.Admin().CreateKey("reader")).Key);
            var people = await reader.GetAsync("/v1/people");
            Assert.NotNull((await people.Json())["items"]);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/sync")).StatusCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task CommandLineKeys_CreateWorksOverHttp_RevokeStopsItOnANewHost()
    {
        var created = await Cli("keys", "create", "cli-editor", "editor");
        Assert.True(created.ExitCode == 0, $"keys create exited {created.ExitCode}: {created.Out} {created.Err}");
        // stdout is exactly one machine-readable line (messages belong on stderr).
        var parts = created.Out.TrimEnd('\n', '\r').Split('\t');
        Assert.True(parts.Length == 3 && Guid.TryParse(parts[0], out _) && !created.Out.TrimEnd().Contains('\n'),
            $"expected one line id<TAB>role<TAB>key on stdout, got '{created.Out}' (stderr '{created.Err}')");
        var id = Guid.Parse(parts[0]);
        Assert.Equal("editor", parts[1]);
        var key = parts[2];
        Assert.StartsWith("cak_", key);

        var editor = factory.WithKey(key);
        var person = await editor.CreatePerson("Cli Editor");
        Assert.Equal("Cli Editor", (string?)person["name"]);

        var listed = await Cli("keys", "list");
        Assert.Equal(0, listed.ExitCode);
        var line = listed.Out.Split('\n').Single(l => l.StartsWith(id.ToString(), StringComparison.Ordinal));
        Assert.EndsWith("\tlive", line.TrimEnd());
        Assert.DoesNotContain(key, listed.Out);

        var revoked = await Cli("keys", "revoke", id.ToString());
        Assert.True(revoked.ExitCode == 0, $"keys revoke exited {revoked.ExitCode}: {revoked.Out} {revoked.Err}");
        listed = await Cli("keys", "list");
        line = listed.Out.Split('\n').Single(l => l.StartsWith(id.ToString(), StringComparison.Ordinal));
        Assert.EndsWith("\trevoked", line.TrimEnd());
        Assert.Equal(1, (await Cli("keys", "revoke", id.ToString())).ExitCode);

        // The running node may keep the key for up to ApiKeyCache.Lifetime (30 s; the revoke ran in another
        // process). A host that starts now on the same database rejects it at once.
        var second = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:Content"] = factory.ConnectionString });
        try
        {
            await (await second.WithKey(key).GetAsync("/v1/articles")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal(HttpStatusCode.OK, (await second.Admin().GetAsync("/v1/keys")).StatusCode);
        }
        finally
        {
            await second.DisposeAsync(); // its own (never created) database needs no drop; the shared one must stay
        }
    }

    private async Task<(int ExitCode, string Out, string Err)> Cli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ContentApi.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Content"] = factory.ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
