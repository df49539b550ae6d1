using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests;

/// <summary>Small helpers to make each test's own data through the HTTP API.</summary>
public static class TestData
{
    public static string Slug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 120)];

    public static async Task<JsonObject> PostOk(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> GetOk(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> Problem(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        return problem;
    }

    public static Task<JsonObject> CreatePerson(this HttpClient client, string name = "Jake Sullivan", params string[] aliases) =>
        client.PostOk("/v1/people", new { slug = Slug("person"), name, aliases, title = "Penasihat", affiliation = "Gedung Putih" });

    public static Task<JsonObject> CreateSource(this HttpClient client, string name = "Reuters", string kind = "agency") =>
        client.PostOk("/v1/sources", new { slug = Slug("source"), name, kind, url = "https://www.reuters.com", country = "GB" });

    public static Task<JsonObject> CreateQuote(this HttpClient client, Guid speakerId, Guid? sourceId = null, string text = "Saya pikir itu akan menjadi kesalahan besar.",
        string language = "id", Guid[]? articleIds = null) =>
        client.PostOk("/v1/quotes", new { text, language, type = "direct", speakerId, sourceId, saidOn = "2023-09-07", occasion = "wawancara", articleIds = articleIds ?? [] });

    public static object Article(string? slug = null, string status = "draft", DateTime? publishedAt = null, object[]? body = null,
        object[]? people = null, object[]? sources = null, Guid[]? quoteIds = null, string title = "Korea Utara mendukung Rusia", string[]? tags = null, string language = "id") => new
        {
            slug = slug ?? Slug("article"),
            title,
            summary = "Ringkasan",
            language,
            status,
            publishedAt,
            section = "Internasional",
            tags = tags ?? ["korea-utara"],
            body = body ?? [new { type = "paragraph", text = "Pemerintah AS mengancam, Korut akan menghadapi konsekuensi." }],
            people = people ?? [],
            sources = sources ?? [],
            quoteIds = quoteIds ?? [],
        };

    public static Task<JsonObject> CreateArticle(this HttpClient client, object article) => client.PostOk("/v1/articles", article);

    public static Task<JsonObject> CreatePublishedArticle(this HttpClient client, Guid[]? quoteIds = null, string? title = null) =>
        client.CreateArticle(Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-5), quoteIds: quoteIds, title: title ?? "Korea Utara mendukung Rusia"));

    public static Guid Id(this JsonNode node) => Guid.Parse((string)node["id"]!);

    public static string ETag(this HttpResponseMessage response) => response.Headers.ETag!.ToString();

    public static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? ifMatch = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, contentType);
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        return request;
    }

    public static string Etag(int version) => $"\"{version}\"";

    public const string MergePatchType = "application/merge-patch+json";

    /// <summary>A unique lowercase token for names, tags and search terms that only this test's rows carry.</summary>
    public static string Token(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..12];

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object? body = null,
        string? ifMatch = null, string contentType = "application/json") =>
        client.SendAsync(Request(method, url, body, ifMatch, contentType));

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body, string? ifMatch) =>
        client.Send(HttpMethod.Put, url, body, ifMatch);

    public static Task<HttpResponseMessage> Patch(this HttpClient client, string url, object body, string? ifMatch,
        string contentType = MergePatchType) =>
        client.Send(HttpMethod.Patch, url, body, ifMatch, contentType);

    public static Task<HttpResponseMessage> Delete(this HttpClient client, string url, string? ifMatch) =>
        client.Send(HttpMethod.Delete, url, null, ifMatch);

    /// <summary>Asserts the status and a JSON (not problem) body, and returns the body.</summary>
    public static async Task<JsonObject> Json(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A 400 validation_failed problem whose errors name <paramref name="key"/> (a JSON path such as body[0].text).</summary>
    public static async Task<JsonObject> ValidationProblem(this HttpResponseMessage response, string key, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var problem = await response.Problem(status, "validation_failed");
        var errors = problem["errors"] as JsonObject;
        Assert.True(errors is not null, $"no errors object in {problem.ToJsonString()}");
        Assert.True(errors!.ContainsKey(key), $"errors has no key '{key}': {errors.ToJsonString()}");
        Assert.NotEmpty(errors[key]!.AsArray());
        Assert.False(string.IsNullOrEmpty((string?)errors[key]![0]));
        return problem;
    }

    public static async Task<(JsonObject Body, HttpResponseMessage Response)> GetWithResponse(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (await response.Json(), response);
    }

    /// <summary>Walks every page of a list by nextCursor, checking the Link header on each page; returns all items.</summary>
    public static async Task<List<JsonObject>> ListAll(this HttpClient client, string url, Func<int, Task>? afterPage = null, int maxPages = 100)
    {
        var items = new List<JsonObject>();
        var next = url;
        for (var page = 0; ; page++)
        {
            Assert.True(page < maxPages, $"more than {maxPages} pages walking {url}");
            var response = await client.GetAsync(next);
            var body = await response.Json();
            Assert.True(body.ContainsKey("nextCursor"), "a page always has nextCursor (null on the last)");
            items.AddRange(body["items"]!.AsArray().Select(i => i!.AsObject()));
            var cursor = (string?)body["nextCursor"];
            if (cursor is null)
            {
                Assert.False(response.Headers.Contains("Link"), "the last page has no Link: rel=next");
                return items;
            }
            var link = Assert.Single(response.Headers.GetValues("Link"));
            Assert.Matches("^<[^>]+>; rel=\"next\"$", link);
            Assert.Contains("cursor=" + Uri.EscapeDataString(cursor), link);
            if (afterPage is not null) await afterPage(page);
            // Follow the Link header itself: it must keep every filter of the first request.
            next = link[1..link.IndexOf('>')];
        }
    }

    public static List<Guid> Ids(this IEnumerable<JsonNode?> items) => items.Select(i => i!.Id()).ToList();

    public static List<string> Guids(this JsonNode array) => array.AsArray().Select(i => (string)i!).ToList();

    /// <summary>A cursor with one character of its payload changed: still well-formed base64url, no longer signed by us.</summary>
    public static string Tamper(string cursor)
    {
        var i = Math.Min(4, cursor.IndexOf('.') - 1);
        var chars = cursor.ToCharArray();
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    public static string Q(string value) => Uri.EscapeDataString(value);

    public static string Iso(DateTime utc) => Q(utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    public static Task<JsonObject> CreatePersonWithSlug(this HttpClient client, string slug, string name) =>
        client.PostOk("/v1/people", new { slug, name, aliases = Array.Empty<string>() });

    public static Task<JsonObject> CreateSourceNamed(this HttpClient client, string name, string kind = "agency") =>
        client.PostOk("/v1/sources", new { slug = Slug("source"), name, kind, url = "https://example.com", country = "ID" });
}
