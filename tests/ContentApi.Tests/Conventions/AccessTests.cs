using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ContentApi.Tests.Conventions;

/// <summary>Who may do what on every resource: anonymous callers read only, a wrong key gets nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();
    private readonly HttpClient wrongKey = WithKey(factory.CreateClient(), "not-a-key-0123456789");

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Writes_ByAnonymous_Return401(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        var url = $"{resource.Path}/{created.Id()}";

        await (await reader.PostAsJsonAsync(resource.Path, await resource.BodyAsync(admin))).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Put(url, resource.Replacement(created, "X"), "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Patch(url, resource.Patch("X"), "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await reader.Delete(url, "\"1\"")).Problem(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Equal(1, (int)(await admin.GetOk(url))["version"]!);
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Get_WithWrongKey_Returns401(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateReadableAsync(admin);
        var url = $"{resource.Path}/{created.Id()}";

        await reader.GetOk(url);
        await (await wrongKey.GetAsync(url)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await wrongKey.GetAsync(resource.Path)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await wrongKey.PostAsJsonAsync(resource.Path, await resource.BodyAsync(admin))).Problem(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
