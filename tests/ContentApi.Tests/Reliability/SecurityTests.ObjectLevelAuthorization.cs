using System.Net;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API1: broken object-level authorization.</summary>
public sealed partial class SecurityTests
{
    [Fact]
    public async Task Api1_ReadersNeverSeeDraftsScheduledOrArchived_AndCannotTouchThem()
    {
        using var admin = app.Client();
        var (_, readerKey) = await NewKey("reader");
        using var reader = app.Client(readerKey);
        using var anonymous = app.Client(key: null);
        var person = await admin.CreatePerson();
        var hiddenQuote = await admin.CreateQuote(person.Id(), text: "kutipan rahasia " + TestData.Token());
        var hidden = new[]
        {
            await admin.CreateArticle(TestData.Article(status: "draft", quoteIds: [hiddenQuote.Id()])),
            await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddDays(3))),
            await admin.CreateArticle(TestData.Article(status: "archived")),
        };
        var checks = 0;
        foreach (var article in hidden)
        {
            var id = article.Id();
            foreach (var client in new[] { reader, anonymous })
            {
                foreach (var url in new[] { $"/v1/articles/{id}", $"/v1/articles/{article["slug"]}", $"/v1/articles/{id}?include=quotes" })
                {
                    await (await client.GetAsync(url)).Problem(HttpStatusCode.NotFound, "not_found");
                    checks++;
                }
                var list = await client.GetOk("/v1/articles?limit=100&status=" + (string)article["status"]!);
                Assert.DoesNotContain(id, list["items"]!.AsArray().Ids());
                checks++;
            }
            var (status, code) = (HttpStatusCode.Forbidden, "forbidden");
            foreach (var (client, expected, expectedCode) in new[] { (reader, status, code), (anonymous, HttpStatusCode.Unauthorized, "unauthorized") })
            {
                await (await client.Put($"/v1/articles/{id}", TestData.Article(), "\"1\"")).Problem(expected, expectedCode);
                await (await client.Patch($"/v1/articles/{id}", new { title = "taken over" }, "\"1\"")).Problem(expected, expectedCode);
                await (await client.Delete($"/v1/articles/{id}", "\"1\"")).Problem(expected, expectedCode);
                await (await client.PostAsync($"/v1/articles/{id}/publish", null)).Problem(expected, expectedCode);
                checks += 4;
            }
            var unchanged = await admin.GetOk($"/v1/articles/{id}");
            Assert.Equal(1, (int)unchanged["version"]!);
        }
        await (await reader.GetAsync($"/v1/quotes/{hiddenQuote.Id()}")).Problem(HttpStatusCode.NotFound, "not_found");
        figures.Add("API1 object-level checks (all refused)", checks + 1);
    }
}
