using System.Net;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Conventions;

/// <summary>If-Match on every resource's PUT, PATCH and DELETE, and on publish/unpublish where it is optional.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConditionalWriteTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    public static TheoryData<string, string> ResourcesAndMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var resource in Resource.Names)
            foreach (var method in new[] { "PUT", "PATCH", "DELETE" })
                data.Add(resource, method);
        return data;
    }

    private Task<HttpResponseMessage> Write(Resource resource, string method, JsonObject current, string? ifMatch)
    {
        var url = $"{resource.Path}/{current.Id()}";
        var request = method switch
        {
            "PUT" => TestData.Request(HttpMethod.Put, url, resource.Replacement(current, "Changed")),
            "PATCH" => TestData.Request(HttpMethod.Patch, url, resource.Patch("Changed"), contentType: TestData.MergePatchType),
            _ => TestData.Request(HttpMethod.Delete, url),
        };
        // Sent without validation: these tests need values HttpClient would refuse to put in an If-Match header.
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return admin.SendAsync(request);
    }

    private async Task AssertUnchanged(Resource resource, JsonObject created)
    {
        var after = await admin.GetOk($"{resource.Path}/{created.Id()}");
        Assert.Equal(1, (int)after["version"]!);
        Assert.Equal((string?)created[resource.PatchField], (string?)after[resource.PatchField]);
    }

    [Theory]
    [MemberData(nameof(ResourcesAndMethods))]
    public async Task Write_WithoutIfMatch_Returns428AndChangesNothing(string name, string method)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        await (await Write(resource, method, created, null)).Problem((HttpStatusCode)428, "precondition_required");
        await (await Write(resource, method, created, "*")).Problem((HttpStatusCode)428, "precondition_required");
        await AssertUnchanged(resource, created);
    }

    [Theory]
    [MemberData(nameof(ResourcesAndMethods))]
    public async Task Write_WithIfMatchThatIsNoEntityTag_Returns400NamingTheHeader(string name, string method)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        foreach (var banana in new[] { "banana", "1", "\"1", "\"1\" junk" })
        {
            var problem = await (await Write(resource, method, created, banana)).ValidationProblem("If-Match");
            Assert.Contains("entity tag", (string)problem["detail"]!);
        }
        await AssertUnchanged(resource, created);
    }

    [Theory]
    [MemberData(nameof(ResourcesAndMethods))]
    public async Task Write_WithWeakOrForeignTag_Returns412_StrongComparison(string name, string method)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        foreach (var tag in new[] { "W/\"1\"", "\"abc\"", "\"\"" })
        {
            var problem = await (await Write(resource, method, created, tag)).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
            Assert.Equal(1, (int)problem["currentVersion"]!);
        }
        await AssertUnchanged(resource, created);

        // The control: the same write with the strong tag succeeds.
        var ok = await Write(resource, method, created, "\"1\"");
        Assert.Equal(method == "DELETE" ? HttpStatusCode.NoContent : HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ResourcesAndMethods))]
    public async Task Write_WithStaleIfMatch_Returns412AndChangesNothing(string name, string method)
    {
        var resource = Resource.Named(name);
        var created = await resource.CreateAsync(admin);
        var url = $"{resource.Path}/{created.Id()}";
        var (field, value) = resource.Touch;
        await (await admin.Patch(url, new Dictionary<string, string> { [field] = value }, "\"1\"")).Json();

        var problem = await (await Write(resource, method, created, "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");

        Assert.Equal(2, (int)problem["currentVersion"]!);
        var after = await admin.GetOk(url);
        Assert.Equal(2, (int)after["version"]!);
        Assert.Equal((string?)created[resource.KeptField], (string?)after[resource.KeptField]);
        Assert.Equal(value, (string?)after[field]);
        if (field != resource.PatchField)
            Assert.Equal((string?)created[resource.PatchField], (string?)after[resource.PatchField]);
    }

    [Theory]
    [InlineData("publish")]
    [InlineData("unpublish")]
    public async Task PublishAndUnpublish_HonourIfMatchWhenSent(string action)
    {
        var created = await admin.CreateArticle(TestData.Article());
        var url = $"/v1/articles/{created.Id()}/{action}";

        Task<HttpResponseMessage> Post(string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url);
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return admin.SendAsync(request);
        }

        await (await Post("banana")).ValidationProblem("If-Match");
        await (await Post("W/\"1\"")).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        await (await Post("\"7\"")).Problem(HttpStatusCode.PreconditionFailed, "version_mismatch");
        Assert.Equal(1, (int)(await admin.GetOk($"/v1/articles/{created.Id()}"))["version"]!);

        var first = await (await Post("\"1\"")).Json();
        Assert.Equal(2, (int)first["version"]!);
        var star = await (await Post("*")).Json();
        Assert.Equal(3, (int)star["version"]!);
        var none = await (await Post(null)).Json();
        Assert.Equal(4, (int)none["version"]!);
    }
}
