namespace ContentApi.Tests.Conventions;

/// <summary><c>fields=</c> on every resource's get and list.</summary>
[Collection(ApiCollection.Name)]
public sealed class FieldsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Fields_ReturnsOnlyTheNamedFieldsAndId_OnGetAndList(string name)
    {
        var resource = Resource.Named(name);
        var scope = await resource.ScopeAsync(admin);
        var created = await resource.CreateInAsync(admin, scope, "Fields");
        var fields = string.Join(',', resource.Fields);
        string[] expected = ["id", .. resource.Fields];

        var one = await admin.GetOk($"{resource.Path}/{created.Id()}?fields={fields}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), one.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var field in resource.Fields)
            Assert.Equal(created[field]!.ToJsonString(), one[field]!.ToJsonString());

        if (resource.HasSlug)
        {
            var bySlug = await admin.GetOk($"{resource.Path}/{created["slug"]}?fields={fields}");
            Assert.Equal(expected.Order(StringComparer.Ordinal), bySlug.Select(p => p.Key).Order(StringComparer.Ordinal));
        }

        var item = Assert.Single((await admin.GetOk(resource.ListUrl(scope, $"&fields={fields}")))["items"]!.AsArray())!.AsObject();
        Assert.Equal(expected.Order(StringComparer.Ordinal), item.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(created.Id(), item.Id());
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Fields_Unknown_Returns400(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        await (await admin.GetAsync($"{resource.Path}/{created.Id()}?fields={resource.Fields[0]},{resource.UnknownField}")).ValidationProblem("fields");
        await (await admin.GetAsync($"{resource.Path}?fields={resource.UnknownField}")).ValidationProblem("fields");
    }
}
