using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// Errors a form can show next to its fields: every missing required field under its own path, a wrong type saying what
/// was expected, malformed JSON saying where, a 415 naming the media type to send, routing 404/405 with the resources'
/// titles and codes, and a write by slug told that writes take the id.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FormErrorTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    private Task<HttpResponseMessage> Post(string url, string json, string contentType = "application/json") =>
        admin.PostAsync(url, new StringContent(json, Encoding.UTF8, contentType));

    private static async Task<JsonObject> Errors(HttpResponseMessage response)
    {
        var problem = await response.Problem(HttpStatusCode.BadRequest, "validation_failed");
        return problem["errors"]!.AsObject();
    }

    [Fact]
    public async Task EveryMissingRequiredField_HasItsOwnEntry()
    {
        var errors = await Errors(await Post("/v1/quotes", """{"text":"Kutipan","language":"id"}"""));
        Assert.Equal(["Required."], errors["type"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(["Required."], errors["speakerId"]!.AsArray().Select(e => (string)e!));
    }

    // Per resource: a create body with one required string empty ("" fails the validator) and other required fields
    // missing (fail System.Text.Json before the validator runs): one 400 names all of them.
    public static TheoryData<string, string, string, string[]> EmptyAndMissing() => new()
    {
        { "/v1/quotes", """{"text":"","language":"id"}""", "text", ["type", "speakerId"] },
        { "/v1/people", """{"name":""}""", "name", ["slug"] },
        { "/v1/sources", """{"name":"","kind":"agency"}""", "name", ["slug"] },
        { "/v1/articles", """{"title":"","language":"id"}""", "title", ["slug"] },
        // Its validator reads events.Count: with events missing, only the missing fields can be named (no 500).
        { "/v1/webhooks", """{"description":""}""", "", ["url", "events"] },
    };

    [Theory]
    [MemberData(nameof(EmptyAndMissing))]
    public async Task AnEmptyFieldBesideMissingOnes_IsReportedWithThemInOne400(string url, string json, string empty, string[] missing)
    {
        var errors = await Errors(await Post(url, json));
        foreach (var field in missing)
            Assert.Equal(["Required."], errors[field]!.AsArray().Select(e => (string)e!));
        if (empty == "")
        {
            Assert.Equal(missing.Length, errors.Count);
            return;
        }
        Assert.True(errors[empty] is JsonArray { Count: > 0 }, $"{empty} is not reported: {errors.ToJsonString()}");
        Assert.DoesNotContain("Required.", errors[empty]!.AsArray().Select(e => (string)e!));
        Assert.Equal(missing.Length + 1, errors.Count);
    }

    [Fact]
    public async Task AnEmptyFieldBesideMissingOnes_OnPut_IsReportedToo()
    {
        var person = await admin.CreatePerson("Kosong Dua");
        var put = TestData.Request(HttpMethod.Put, $"/v1/people/{person.Id()}", new { name = "" }, "\"1\"");
        var errors = await Errors(await admin.SendAsync(put));
        Assert.Equal(["Required."], errors["slug"]!.AsArray().Select(e => (string)e!));
        Assert.NotNull(errors["name"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task ADiffWithoutTo_NamesTo()
    {
        var person = await admin.CreatePerson("Tanpa To");
        var problem = await (await admin.GetAsync($"/v1/people/{person.Id()}/revisions/1/diff")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["to"], errors.Select(e => e.Key));
        Assert.Contains("query string", (string)errors["to"]![0]!);
        // The control: with to= the same diff answers.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/people/{person.Id()}/revisions/1/diff?to=1")).StatusCode);
    }

    public static TheoryData<string, string, string, string> WrongMediaTypes() => new()
    {
        { "POST", "/v1/people", "text/plain", "application/json" },
        { "PUT", "/v1/people/{id}", "application/xml", "application/json" },
        { "PATCH", "/v1/people/{id}", "application/json", "application/merge-patch+json" },
        { "POST", "/v1/imports", "application/pdf", "text/plain" },
    };

    [Theory]
    [MemberData(nameof(WrongMediaTypes))]
    public async Task RoutingsA415_SaysWhatWasSentAndWhatTheOperationTakes(string method, string url, string sent, string accepted)
    {
        var person = await admin.CreatePerson("Jenis Media");
        var path = url.Replace("{id}", person.Id().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("""{"name":"X"}""", Encoding.UTF8, sent),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var problem = await (await admin.SendAsync(request)).Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var detail = (string)problem["detail"]!;
        Assert.Contains($"the request had Content-Type {sent}", detail);
        Assert.Contains($"{method} {path} takes Content-Type: ", detail);
        Assert.Contains(accepted, detail[detail.IndexOf(" takes ", StringComparison.Ordinal)..detail.IndexOf("; the request had", StringComparison.Ordinal)]);
        Assert.Equal("Unsupported media type", (string)problem["title"]!);
    }

    public static TheoryData<string, string, string, string> WrongTypes() => new()
    {
        { "/v1/quotes", """{"text":"K","language":"id","type":"direct","speakerId":"abc"}""", "speakerId", "uuid" },
        { "/v1/quotes", """{"text":"K","language":"id","type":"direct","speakerId":"0190a6a4-8a2b-7c3d-9e4f-0123456789ab","saidOn":"06/09/2023"}""", "saidOn", "YYYY-MM-DD" },
        { "/v1/articles", """{"slug":"s","title":"T","language":"id","publishedAt":"yesterday"}""", "publishedAt", "RFC 3339" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task AWrongType_SaysWhatWasExpected(string url, string json, string field, string expected)
    {
        var errors = await Errors(await Post(url, json));
        Assert.Contains(expected, (string)errors[field]![0]!);
    }

    [Fact]
    public async Task MalformedJson_SaysWhere()
    {
        var errors = await Errors(await Post("/v1/people", "{\n  \"name\": \"Jake\",\n  \"slug\": }"));
        var message = (string)errors.Single().Value![0]!;
        Assert.Contains("line 3", message);
        Assert.Contains("position 11", message);
    }

    [Fact]
    public async Task A415_NamesTheMediaTypeToSend()
    {
        var person = await admin.CreatePerson("Media Tipe");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/people/{person.Id()}") { Content = new StringContent("""{"name":"X"}""", Encoding.UTF8, "application/json") };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var patchProblem = await (await admin.SendAsync(patch)).Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/merge-patch+json", (string)patchProblem["detail"]!);
        Assert.Equal("Unsupported media type", (string)patchProblem["title"]!);

        var post = await (await Post("/v1/people", "name=x", "text/plain")).Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", (string)post["detail"]!);
        Assert.Contains("text/plain", (string)post["detail"]!);
    }

    [Fact]
    public async Task RoutingProblems_HaveTheResourcesTitlesAndCodes()
    {
        var resource404 = await (await admin.GetAsync($"/v1/people/{Guid.NewGuid()}")).Problem(HttpStatusCode.NotFound, "not_found");
        var route404 = await (await admin.GetAsync("/v1/no-such-collection")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal((string)resource404["title"]!, (string)route404["title"]!);
        Assert.Equal((string)resource404["type"]!, (string)route404["type"]!);

        var route405 = await (await admin.DeleteAsync("/v1/people")).Problem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("Method not allowed", (string)route405["title"]!);
        Assert.Contains("DELETE", (string)route405["detail"]!);
    }

    [Fact]
    public async Task AWriteBySlug_IsToldThatWritesTakeTheId()
    {
        var slug = TestData.Slug("by-slug");
        await admin.CreatePersonWithSlug(slug, "Lewat Slug");
        var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/people/{slug}") { Content = new StringContent("""{"name":"X"}""", Encoding.UTF8, "application/json") };
        put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var problem = await (await admin.SendAsync(put)).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Contains("by its id", (string)problem["detail"]!);
        // The control: a routing 404 for a read says nothing about ids.
        var read = await (await admin.GetAsync($"/v1/people/{slug}/nothing")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain("by its id", (string)read["detail"]!);
    }
}
