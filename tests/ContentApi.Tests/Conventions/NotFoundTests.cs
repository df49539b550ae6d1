using System.Net;

namespace ContentApi.Tests.Conventions;

/// <summary>Unknown ids and slugs, and what a delete leaves behind, on every resource.</summary>
[Collection(ApiCollection.Name)]
public sealed class NotFoundTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Get_Unknown_Returns404(string name)
    {
        var resource = Resource.Named(name);
        await (await reader.GetAsync($"{resource.Path}/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"{resource.Path}/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, "not_found");
        if (resource.HasSlug)
        {
            await (await reader.GetAsync($"{resource.Path}/{TestData.Slug("nothing")}")).Problem(HttpStatusCode.NotFound, "not_found");
            await (await admin.GetAsync($"{resource.Path}/{TestData.Slug("nothing")}")).Problem(HttpStatusCode.NotFound, "not_found");
        }
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Writes_ToUnknownId_Return404(string name)
    {
        var resource = Resource.Named(name);
        var url = $"{resource.Path}/{Guid.CreateVersion7()}";
        await (await admin.Put(url, await resource.BodyAsync(admin), "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Patch(url, resource.Patch("X"), "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Delete(url, "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Delete_Returns204_ThenGetReturns404(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        var url = $"{resource.Path}/{created.Id()}";

        var response = await admin.Delete(url, "\"1\"");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        await (await admin.GetAsync(url)).Problem(HttpStatusCode.NotFound, "not_found");
        if (resource.HasSlug)
            await (await admin.GetAsync($"{resource.Path}/{created["slug"]}")).Problem(HttpStatusCode.NotFound, "not_found");
        await (await admin.Delete(url, "\"1\"")).Problem(HttpStatusCode.NotFound, "not_found");
    }
}
