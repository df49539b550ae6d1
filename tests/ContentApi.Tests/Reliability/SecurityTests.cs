using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// OWASP API Security Top 10 (2023), the items that apply to this API, each checked over a real socket with every
/// log entry the app writes captured: API1 object-level authorization, API2 authentication, API3 property-level
/// authorization (excessive exposure, mass assignment), API4 resource consumption, API5 function-level authorization,
/// API8 security misconfiguration, and injection.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class SecurityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private KestrelApp app = null!;
    private readonly Figures figures = new(output, "security");

    public Task InitializeAsync()
    {
        app = KestrelApp.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    private async Task<(Guid Id, string Key)> NewKey(string role)
    {
        using var admin = app.Client();
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name = $"{role} {Guid.NewGuid():N}", role });
        var body = await response.Json(HttpStatusCode.Created);
        return (body.Id(), (string)body["key"]!);
    }

    // ---------- API1: broken object-level authorization ----------

    [Fact]
    public async Task Api1_ReadersNeverSeeDraftsScheduledOrArchived_AndCannotTouchThem()
    {
        using var admin = app.Client();
        var (_, readerKey) = await NewKey("reader");
        using var reader = app.Client(readerKey);
        using var anonymous = app.Client(key: null);
        var person = await admin.CreatePerson();
        var hiddenQuote = await admin.CreateQuote(person.Id(), text: "kutipan rahasia " + TestData.Token());
        var hidden = new[]
        {
            await admin.CreateArticle(TestData.Article(status: "draft", quoteIds: [hiddenQuote.Id()])),
            await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(3))),
            await admin.CreateArticle(TestData.Article(status: "archived")),
        };
        var checks = 0;
        foreach (var article in hidden)
        {
            var id = article.Id();
            foreach (var client in new[] { reader, anonymous })
            {
                foreach (var url in new[] { $"/v1/articles/{id}", $"/v1/articles/{article["slug"]}", $"/v1/articles/{id}?include=quotes" })
                {
                    await (await client.GetAsync(url)).Problem(HttpStatusCode.NotFound, "not_found");
                    checks++;
                }
                var list = await client.GetOk("/v1/articles?limit=100&status=" + (string)article["status"]!);
                Assert.DoesNotContain(id, list["items"]!.AsArray().Ids());
                checks++;
            }
            var (status, code) = (HttpStatusCode.Forbidden, "forbidden");
            foreach (var (client, expected, expectedCode) in new[] { (reader, status, code), (anonymous, HttpStatusCode.Unauthorized, "unauthorized") })
            {
                await (await client.Put($"/v1/articles/{id}", TestData.Article(), "\"1\"")).Problem(expected, expectedCode);
                await (await client.Patch($"/v1/articles/{id}", new { title = "taken over" }, "\"1\"")).Problem(expected, expectedCode);
                await (await client.Delete($"/v1/articles/{id}", "\"1\"")).Problem(expected, expectedCode);
                await (await client.PostAsync($"/v1/articles/{id}/publish", null)).Problem(expected, expectedCode);
                checks += 4;
            }
            var unchanged = await admin.GetOk($"/v1/articles/{id}");
            Assert.Equal(1, (int)unchanged["version"]!);
        }
        await (await reader.GetAsync($"/v1/quotes/{hiddenQuote.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        figures.Add("API1 object-level checks (all refused)", checks + 1);
    }

    // ---------- API5: broken function-level authorization ----------

    [Fact]
    public async Task Api5_OnlyAdminsManageKeys()
    {
        var (readerId, readerKey) = await NewKey("reader");
        var (_, editorKey) = await NewKey("editor");
        using var admin = app.Client();
        var checks = 0;
        foreach (var (key, status, code) in new[] { ((string?)readerKey, HttpStatusCode.Forbidden, "forbidden"), (editorKey, HttpStatusCode.Forbidden, "forbidden"), (null, HttpStatusCode.Unauthorized, "unauthorized") })
        {
            using var client = app.Client(key);
            await (await client.GetAsync("/v1/keys")).Problem(status, code);
            await (await client.PostAsJsonAsync("/v1/keys", new { name = "escalate", role = "admin" })).Problem(status, code);
            await (await client.DeleteAsync($"/v1/keys/{readerId}")).Problem(status, code);
            checks += 3;
        }
        // The reader key still works: nobody managed to revoke it.
        using var stillReader = app.Client(readerKey);
        Assert.Equal(HttpStatusCode.OK, (await stillReader.GetAsync("/v1/articles")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/keys")).StatusCode);
        // Editors write content but nothing else.
        using var editor = app.Client(editorKey);
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("ed"), name = "Editor made" })).StatusCode);
        figures.Add("API5 function-level checks (all refused)", checks);
    }

    // ---------- API2: broken authentication ----------

    [Fact]
    public async Task Api2_BadRevokedAndMalformedKeys_Are401_EvenWhereAnonymousMayRead()
    {
        var (id, key) = await NewKey("editor");
        using var editor = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/v1/articles")).StatusCode);
        using var admin = app.Client();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{id}")).StatusCode);
        // Revocation is immediate on this node, for reads (which anonymous callers may do) and writes alike.
        await (await editor.GetAsync("/v1/articles")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await editor.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("rv"), name = "x" })).Problem(HttpStatusCode.Unauthorized, "unauthorized");

        var malformed = new[]
        {
            "Bearer", "Bearer ", "Bearer  ", "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("admin:admin")), "Digest username=admin",
            "Bearer " + key[..^1], "Bearer " + key + "x", "Bearer " + key.ToUpperInvariant(), "Bearer " + ContentApiFactory.AdminKey[..^1],
            "Bearer " + new string('a', 600), "Bearer null", "Bearer undefined", "Bearer ' or '1'='1", "Bearer cak_", "Token " + ContentApiFactory.AdminKey,
            ContentApiFactory.AdminKey,
        };
        foreach (var header in malformed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var client = app.Client(key: null);
            var response = await client.SendAsync(request);
            await response.Problem(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
        figures.Add("API2 bad, revoked or malformed credentials refused", malformed.Length + 2);
    }

    [Fact]
    public async Task Api2_KeysAreNeverLogged_NeverShownAgain_AndStoredOnlyAsHashes()
    {
        var (id, secret) = await NewKey("editor");
        using var editor = app.Client(secret);
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsJsonAsync("/v1/people", new { slug = TestData.Slug("lg"), name = "Logged?" })).StatusCode);
        var wrong = "cak_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
        using (var stranger = app.Client(wrong))
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/v1/articles")).StatusCode);
        using var admin = app.Client();
        // Refusals are logged (a bad request, a forbidden one), each while a key sits in the Authorization header.
        await editor.GetAsync("/v1/articles?limit=0");
        await editor.GetAsync("/v1/keys");
        await admin.PostAsJsonAsync("/v1/people", new { slug = "Not A Slug", name = "x" });

        // Every level, every category: the app's, ASP.NET Core's, Kestrel's, Npgsql's.
        var everything = app.Logs.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}\n{e.State}\n{e.Exception}").ToList();
        Assert.True(everything.Count > 20, $"only {everything.Count} log entries captured: the check would prove nothing");
        Assert.Contains(everything, e => e.Contains("not authenticated", StringComparison.OrdinalIgnoreCase));
        foreach (var needle in new[] { secret, wrong, ContentApiFactory.AdminKey })
        {
            var found = everything.FirstOrDefault(e => e.Contains(needle, StringComparison.Ordinal));
            Assert.True(found is null, $"a key was logged: {found}");
        }

        // Listed keys show an id, a name and a prefix; never the secret, never its hash.
        var list = await admin.GetAsync("/v1/keys");
        var text = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain(secret, text);
        Assert.Contains(id.ToString(), text);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        var listed = JsonNode.Parse(text)!["items"]!.AsArray().Single(k => k!.Id() == id)!.AsObject();
        Assert.False(listed.ContainsKey("key"), listed.ToJsonString());
        Assert.True(secret.StartsWith((string)listed["prefix"]!, StringComparison.Ordinal) && ((string)listed["prefix"]!).Length <= 8);

        // In the database: a SHA-256 hash, no column holding the secret.
        var rows = await Sql.Column<string>(app.ConnectionString, "select t::text from api_keys t");
        Assert.DoesNotContain(rows, r => r.Contains(secret[8..], StringComparison.Ordinal));
        Assert.Equal(1L, await Sql.Scalar<long>(app.ConnectionString, "select count(*) from api_keys where key_hash = sha256(convert_to(@s, 'UTF8'))", ("s", secret)));
        figures.Add("log entries searched for keys", everything.Count);
    }

    // ---------- API3: broken object property level authorization ----------

    private static readonly string[] Internal =
        ["keyHash", "key_hash", "hash", "search", "publishedSort", "published_sort", "everPublic", "ever_public", "requestHash", "request_hash", "principal", "password", "secret", "sortKey", "rank", "tx", "seq"];

    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => PropertyNames(p.Value).Prepend(p.Key)),
        JsonArray array => array.SelectMany(PropertyNames),
        _ => [],
    };

    [Fact]
    public async Task Api3_NoAnswerExposesInternalColumns()
    {
        using var admin = app.Client();
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await admin.CreateQuote(person.Id(), source.Id());
        var article = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-1),
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "cited" }], quoteIds: [quote.Id()]));
        await NewKey("reader");
        var urls = new[]
        {
            "/v1/articles?include=quotes,quotes.speaker,quotes.source,people,sources", $"/v1/articles/{article.Id()}?include=quotes,quotes.speaker,quotes.source,people,sources",
            "/v1/quotes?include=speaker,source,articles", $"/v1/quotes/{quote.Id()}?include=speaker,source,articles",
            "/v1/people?include=quotes,articles", $"/v1/people/{person.Id()}?include=quotes,articles",
            "/v1/sources?include=quotes,articles", $"/v1/sources/{source.Id()}?include=quotes,articles",
            "/v1/sync?limit=500", "/v1/keys", "/v1/articles?q=korea", "/v1/quotes?q=kesalahan",
        };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in urls)
            foreach (var client in new[] { admin, app.Client(key: null) })
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                names.UnionWith(PropertyNames(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
            }
        var columns = await Sql.Column<string>(app.ConnectionString,
            "select distinct column_name from information_schema.columns where table_schema = 'public'");
        var leaked = names.Where(n => Internal.Contains(n) || n.Contains('_')).ToList();
        Assert.True(leaked.Count == 0, $"internal names in answers: {string.Join(", ", leaked)}");
        // The secret-bearing and search columns exist, and none comes out under any spelling.
        foreach (var column in new[] { "key_hash", "search", "published_sort" })
        {
            Assert.Contains(column, columns);
            var camel = Regex.Replace(column, "_([a-z])", m => m.Groups[1].Value.ToUpperInvariant());
            Assert.DoesNotContain(camel, names);
        }
        figures.Add("API3 property names seen across all read endpoints", names.Count);
    }

    [Fact]
    public async Task Api3_ClientsCannotSetIdVersionTimestampsOrKeys()
    {
        using var admin = app.Client();
        var forcedId = Guid.CreateVersion7();
        var slug = TestData.Slug("mass");
        var refused = 0;
        foreach (var (field, value) in new (string, object)[] { ("id", forcedId), ("version", 42), ("createdAt", "2000-01-01T00:00:00Z"), ("updatedAt", "2000-01-01T00:00:00Z") })
        {
            var body = new JsonObject { ["slug"] = slug, ["name"] = "Mass Assignment", [field] = JsonValue.Create(value is Guid g ? g.ToString() : value) };
            var response = await admin.PostAsJsonAsync("/v1/people", body);
            await response.ValidationProblem(field);
            refused++;
        }
        Assert.Equal(0L, await Sql.Scalar<long>(app.ConnectionString, "select count(*) from people where slug = @s or id = @id", ("s", slug), ("id", forcedId)));

        var person = await admin.CreatePerson();
        var url = $"/v1/people/{person.Id()}";
        var full = new JsonObject { ["slug"] = (string)person["slug"]!, ["name"] = "Renamed", ["version"] = 99 };
        await (await admin.Put(url, full, "\"1\"")).ValidationProblem("version");
        foreach (var (field, value) in new (string, JsonNode)[] { ("id", forcedId.ToString()), ("version", 50), ("createdAt", "2000-01-01T00:00:00Z") })
        {
            await (await admin.Patch(url, new JsonObject { [field] = value }, "\"1\"")).Problem(HttpStatusCode.BadRequest, "validation_failed");
            refused++;
        }
        var unchanged = await admin.GetOk(url);
        Assert.Equal(1, (int)unchanged["version"]!);
        Assert.Equal(person.Id(), unchanged.Id());
        Assert.Equal((string?)person["createdAt"], (string?)unchanged["createdAt"]);

        // Nobody chooses their own key or its prefix; embedded read-only objects are refused.
        await (await admin.PostAsJsonAsync("/v1/keys", new { name = "chosen", role = "reader", key = "cak_mine" })).ValidationProblem("key");
        await (await admin.PostAsJsonAsync("/v1/keys", new { name = "chosen", role = "reader", prefix = "cak_mine" })).ValidationProblem("prefix");
        var withEmbedded = TestData.Article(people: [new { personId = person.Id(), role = "subject", person = new { id = person.Id(), name = "Forged" } }]);
        await (await admin.PostAsJsonAsync("/v1/articles", withEmbedded)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        figures.Add("API3 mass-assignment attempts refused", refused + 4);
    }

    // ---------- API4: unrestricted resource consumption ----------

    [Fact]
    public async Task Api4_PageSizeBodySizeAndRequestRate_AreCapped()
    {
        using var admin = app.Client();
        await (await admin.GetAsync("/v1/articles?limit=1000")).ValidationProblem("limit");
        var huge = new HttpRequestMessage(HttpMethod.Post, "/v1/people") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        huge.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        huge.Headers.ExpectContinue = true;
        await (await admin.SendAsync(huge)).Problem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        await using var limited = KestrelApp.Start(new Dictionary<string, string>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:ReadBurst"] = "20",
            ["RateLimits:ReadsPerSecond"] = "1",
            ["RateLimits:WriteBurst"] = "5",
            ["RateLimits:WritesPerSecond"] = "1",
        });
        using var greedy = limited.Client();
        HttpResponseMessage? refused = null;
        var served = 0;
        for (var i = 0; i < 60 && refused is null; i++)
        {
            var response = await greedy.GetAsync("/v1/articles");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else served++;
        }
        Assert.NotNull(refused);
        await refused!.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After in seconds");
        Assert.InRange(served, 20, 23);
        // Another caller (anonymous, by IP here) has a budget of its own.
        using var other = limited.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/articles")).StatusCode);
        figures.Add("API4 reads served before 429 (burst 20)", served);
    }

    // ---------- injection ----------

    [Fact]
    public async Task Injection_InSearchFiltersAndSlugs_IsJustText()
    {
        using var admin = app.Client();
        using var anonymous = app.Client(key: null);
        var marker = TestData.Token("inj");
        var person = await admin.PostOk("/v1/people", new { slug = TestData.Slug("inj"), name = $"Robert'); drop table people; -- {marker}" });
        var before = await Sql.Scalar<long>(app.ConnectionString, "select (select count(*) from people) + (select count(*) from articles) + (select count(*) from api_keys)");
        var probes = 0;
        foreach (var injection in FuzzCorpus.Injections.Append("' union select key_hash::text, null from api_keys --").Append("%' and pg_sleep(3) is null and '%'='"))
        {
            var q = Uri.EscapeDataString(injection);
            foreach (var url in new[]
            {
                $"/v1/articles?q={q}", $"/v1/articles?tag={q}", $"/v1/articles?language={q}", $"/v1/quotes?q={q}", $"/v1/people?q={q}",
                $"/v1/sources?q={q}", $"/v1/sources?kind={q}", $"/v1/people/{q}", $"/v1/articles/{q}", $"/v1/articles?sort={q}", $"/v1/articles?include={q}", $"/v1/people?fields={q}",
            })
            {
                foreach (var client in new[] { admin, anonymous })
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var response = await client.GetAsync(url);
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                        $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"{url} took {clock.Elapsed}: did pg_sleep run?");
                    if (response.StatusCode == HttpStatusCode.OK)
                        Assert.DoesNotContain("\\x", await response.Content.ReadAsStringAsync());
                    probes++;
                }
            }
        }
        var after = await Sql.Scalar<long>(app.ConnectionString, "select (select count(*) from people) + (select count(*) from articles) + (select count(*) from api_keys)");
        Assert.Equal(before, after);
        // The stored value is the text as typed, found by searching for it.
        Assert.Equal($"Robert'); drop table people; -- {marker}", (string?)(await admin.GetOk($"/v1/people/{person.Id()}"))["name"]);
        Assert.Contains(person.Id(), (await admin.GetOk($"/v1/people?q={marker}"))["items"]!.AsArray().Ids());
        figures.Add("injection probes (none changed or leaked anything)", probes);
    }

    // ---------- API8: security misconfiguration ----------

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
