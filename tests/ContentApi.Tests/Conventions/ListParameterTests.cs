
namespace ContentApi.Tests.Conventions;

/// <summary>Query parameters every resource checks the same way: unknown names, includes, limits and cursors.</summary>
[Collection(ApiCollection.Name)]
public sealed class ListParameterTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    public static TheoryData<string, string> ResourcesAndLimits()
    {
        var data = new TheoryData<string, string>();
        foreach (var resource in Resource.Names)
            foreach (var limit in new[] { "0", "101", "-1", "abc" })
                data.Add(resource, limit);
        return data;
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task List_WithUnknownQueryParameter_Returns400(string name)
    {
        var resource = Resource.Named(name);
        var (parameter, value) = resource.UnknownQuery;
        await (await reader.GetAsync($"{resource.Path}?{parameter}={value}")).ValidationProblem(parameter);
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task List_AndGet_WithUnknownInclude_Return400(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateReadableAsync(admin);
        await (await reader.GetAsync($"{resource.Path}?include={resource.UnknownListInclude}")).ValidationProblem("include");
        await (await reader.GetAsync($"{resource.Path}/{created.Id()}?include={resource.UnknownItemInclude}")).ValidationProblem("include");
        await (await admin.GetAsync($"{resource.Path}/{created.Id()}?include={resource.UnknownItemInclude}")).ValidationProblem("include");
    }

    [Theory]
    [MemberData(nameof(ResourcesAndLimits))]
    public async Task List_WithLimitOutOfRangeOrNotANumber_Returns400NamingLimit(string name, string limit)
    {
        var resource = Resource.Named(name);
        await (await reader.GetAsync($"{resource.Path}?limit={limit}")).ValidationProblem("limit");
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task List_WithTamperedCursor_Returns400(string name)
    {
        var resource = Resource.Named(name);
        var scope = await resource.ScopeAsync(admin);
        await resource.CreateInAsync(admin, scope, "A");
        await resource.CreateInAsync(admin, scope, "B");
        var cursor = (string)(await admin.GetOk(resource.ListUrl(scope, "&limit=1")))["nextCursor"]!;

        await admin.GetOk(resource.ListUrl(scope, $"&limit=1&cursor={TestData.Q(cursor)}"));
        await (await admin.GetAsync(resource.ListUrl(scope, $"&limit=1&cursor={TestData.Q(TestData.Tamper(cursor))}"))).ValidationProblem("cursor");
        await (await admin.GetAsync(resource.ListUrl(scope, $"&limit=1&cursor={TestData.Q(cursor + "x")}"))).ValidationProblem("cursor");
        await (await admin.GetAsync(resource.ListUrl(scope, "&limit=1&cursor=garbage"))).ValidationProblem("cursor");
    }
}
