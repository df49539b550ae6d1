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
}
