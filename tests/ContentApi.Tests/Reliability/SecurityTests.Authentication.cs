using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API2: broken authentication.</summary>
public sealed partial class SecurityTests
{
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
}
