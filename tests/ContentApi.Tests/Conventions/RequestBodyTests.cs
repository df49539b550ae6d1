using System.Net;
using System.Text;
using System.Text.Json;

namespace ContentApi.Tests.Conventions;

/// <summary>Bodies the API refuses on every resource: unknown fields, broken JSON, the wrong media type.</summary>
[Collection(ApiCollection.Name)]
public sealed class RequestBodyTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Create_WithUnknownField_Returns400NamingIt(string name)
    {
        var resource = Resource.Named(name);
        var json = JsonSerializer.SerializeToNode(await resource.BodyAsync(admin), JsonSerializerOptions.Web)!.AsObject();
        json[resource.UnknownBodyField] = "x";
        await (await admin.PostAsync(resource.Path, new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json")))
            .ValidationProblem(resource.UnknownBodyField);
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Create_WithMalformedJson_Returns400Problem(string name)
    {
        var resource = Resource.Named(name);
        var response = await admin.PostAsync(resource.Path, new StringContent(resource.MalformedJson, Encoding.UTF8, "application/json"));
        var problem = await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.DoesNotContain("Exception", problem.ToJsonString());
        Assert.DoesNotContain("at ", (string?)problem["detail"]);
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Create_WithWrongContentType_Returns415(string name)
    {
        var resource = Resource.Named(name);
        var json = JsonSerializer.Serialize(await resource.BodyAsync(admin), JsonSerializerOptions.Web);
        foreach (var type in new[] { "text/plain", "application/xml" })
            await (await admin.PostAsync(resource.Path, new StringContent(json, Encoding.UTF8, type)))
                .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task Patch_WithApplicationJson_Returns415(string name)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        var url = $"{resource.Path}/{created.Id()}";
        await (await admin.Patch(url, resource.Patch("X"), "\"1\"", "application/json"))
            .Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Equal(1, (int)(await admin.GetOk(url))["version"]!);
    }
}
