using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Conventions;

/// <summary>A slug belongs to one row: on every resource that has slugs, a second claim is a 409 that changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class SlugTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    [Theory]
    [MemberData(nameof(Resource.Slugged), MemberType = typeof(Resource))]
    public async Task Create_WithDuplicateSlug_Returns409(string name)
    {
        var resource = Resource.Named(name);
        var slug = TestData.Slug("dup");
        var first = await admin.PostOk(resource.Path, await resource.BodyAsync(admin, slug));

        var problem = await (await admin.PostAsJsonAsync(resource.Path, await resource.BodyAsync(admin, slug, kept: "Someone Else")))
            .Problem(HttpStatusCode.Conflict, "slug_taken");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("slug"));
        var after = await admin.GetOk($"{resource.Path}/{slug}");
        Assert.Equal(first.Id(), after.Id());
        Assert.Equal((string?)first[resource.KeptField], (string?)after[resource.KeptField]);
    }

    [Theory]
    [MemberData(nameof(Resource.Slugged), MemberType = typeof(Resource))]
    public async Task Replace_WithAnotherRowsSlug_Returns409AndChangesNothing(string name)
    {
        var resource = Resource.Named(name);
        var first = await resource.CreateAsync(admin);
        var second = await resource.CreateAsync(admin);
        var url = $"{resource.Path}/{second.Id()}";
        var taken = (string)first["slug"]!;

        await (await admin.Put(url, resource.Replacement(second, "Changed", slug: taken), "\"1\"")).Problem(HttpStatusCode.Conflict, "slug_taken");
        await (await admin.Patch(url, new { slug = taken }, "\"1\"")).Problem(HttpStatusCode.Conflict, "slug_taken");

        var after = await admin.GetOk(url);
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal((string?)second["slug"], (string?)after["slug"]);
        Assert.Equal((string?)second[resource.PatchField], (string?)after[resource.PatchField]);
    }
}
