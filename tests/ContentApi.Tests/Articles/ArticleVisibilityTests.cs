using System.Net;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Articles;

/// <summary>Readers never see drafts, archived or scheduled articles; editors do.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleVisibilityTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private async Task<JsonObject> Create(object article) => await admin.PostOk("/v1/articles", article);

    [Fact]
    public async Task Get_Draft_IsNotFoundForReaders_AndFoundForAdmins()
    {
        var draft = await Create(TestData.Article());
        await (await reader.GetAsync($"/v1/articles/{draft.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{draft["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{draft.Id()}?include=quotes")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("draft", (string?)(await admin.GetOk($"/v1/articles/{draft.Id()}"))["status"]);
        Assert.Equal(draft.Id(), (await admin.GetOk($"/v1/articles/{draft["slug"]}")).Id());
    }

    [Fact]
    public async Task Get_ArchivedOrScheduled_IsNotFoundForReaders()
    {
        var archived = await Create(TestData.Article(status: "archived", publishedAt: DateTime.UtcNow.AddDays(-10)));
        var scheduled = await Create(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(10)));
        await (await reader.GetAsync($"/v1/articles/{archived.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await reader.GetAsync($"/v1/articles/{scheduled["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        await admin.GetOk($"/v1/articles/{archived.Id()}");
        await admin.GetOk($"/v1/articles/{scheduled.Id()}");
    }
}
