using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API5: broken function-level authorization.</summary>
public sealed partial class SecurityTests
{
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
}
