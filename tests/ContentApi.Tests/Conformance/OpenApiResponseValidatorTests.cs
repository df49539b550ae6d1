using System.Text;

namespace ContentApi.Tests.Conformance;

/// <summary>The validator every test client runs is itself checked: it refuses what the document forbids.</summary>
public sealed class OpenApiResponseValidatorTests
{
    private static IReadOnlyList<string> Validate(string method, string path, int status, string? body, string mediaType = "application/json", Action<HttpResponseMessage>? headers = null)
    {
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);
        if (body is not null) response.Content = new StringContent(body, Encoding.UTF8, mediaType);
        headers?.Invoke(response);
        return OpenApiResponseValidator.Instance.Validate(method, path, status, response.Headers, response.Content?.Headers,
            body is null ? [] : Encoding.UTF8.GetBytes(body));
    }

    private const string Problem = """{"type":"urn:contentapi:problem:not_found","title":"Not found","status":404,"code":"not_found"}""";

    [Fact]
    public void AProblemThatFollowsTheSchema_Passes() =>
        Assert.Empty(Validate("GET", "/v1/quotes/0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03", 404, Problem, "application/problem+json"));

    [Fact]
    public void AnUnknownProblemCode_IsAViolation() =>
        Assert.Contains(Validate("GET", "/v1/quotes/0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03", 404, Problem.Replace("not_found\"}", "nope\"}"), "application/problem+json"),
            v => v.Contains("/code", StringComparison.Ordinal));

    [Fact]
    public void AnUndocumentedStatus_IsAViolation() =>
        Assert.Contains(Validate("GET", "/v1/quotes", 418, Problem, "application/problem+json"), v => v.Contains("status not documented", StringComparison.Ordinal));

    [Fact]
    public void AWrongContentType_IsAViolation() =>
        Assert.Contains(Validate("GET", "/v1/quotes/0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03", 404, Problem, "text/plain"), v => v.Contains("Content-Type", StringComparison.Ordinal));

    [Fact]
    public void APageMissingNextCursor_IsAViolation() =>
        Assert.NotEmpty(Validate("GET", "/v1/people", 200, """{"items":[]}"""));

    [Fact]
    public void ASyncTombstoneWithData_OfTheWrongType_IsAViolation() =>
        Assert.NotEmpty(Validate("GET", "/v1/sync", 200,
            """{"items":[{"type":"quote","id":"0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03","op":"delete","version":2,"data":{"slug":"x"}}],"nextToken":"t","hasMore":false}"""));

    [Fact]
    public void ASyncTombstoneWithNullData_Passes() =>
        Assert.Empty(Validate("GET", "/v1/sync", 200,
            """{"items":[{"type":"quote","id":"0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a03","op":"delete","version":2,"data":null}],"nextToken":"t","hasMore":false}"""));

    [Fact]
    public void AMissingRequiredHeader_IsAViolation() =>
        Assert.Contains(Validate("POST", "/v1/keys", 201, """{}"""), v => v.Contains("Location", StringComparison.Ordinal));

    [Fact]
    public void A304WithABody_IsAViolation() =>
        Assert.Contains(Validate("GET", "/v1/people", 304, "{}"), v => v.Contains("body", StringComparison.Ordinal));
}
