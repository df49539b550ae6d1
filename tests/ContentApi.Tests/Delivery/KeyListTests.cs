using System.Net;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Delivery;

[Collection(ApiCollection.Name)]
public sealed class KeyListTests(ContentApiFactory factory)
{
    [Fact]
    public async Task KeyList_PagesWithCursorsAndNeverShowsSecrets()
    {
        var admin = factory.Admin();
        var created = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
            created.Add(await admin.PostOk("/v1/keys", new { name = TestData.Slug("page"), role = "reader" }));

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await admin.GetAsync("/v1/keys?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.All(created, k => Assert.DoesNotContain((string)k["key"]!, text));
            var page = JsonNode.Parse(text)!;
            seen.AddRange(page["items"]!.AsArray().Select(k => k!.Id()));
            cursor = (string?)page["nextCursor"];
            if (cursor is not null) Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single());
            pages++;
        } while (cursor is not null && pages < 1000);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(created, k => Assert.Contains(k.Id(), seen));
        Assert.True(seen.IndexOf(created[2].Id()) < seen.IndexOf(created[0].Id()), "newest first");

        var bad = await admin.GetAsync("/v1/keys?limit=2&cursor=not-a-cursor");
        var problem = await bad.Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["cursor"]);
    }
}
