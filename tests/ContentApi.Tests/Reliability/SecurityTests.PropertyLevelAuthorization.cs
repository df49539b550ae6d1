using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: API3: broken object property level authorization.</summary>
public sealed partial class SecurityTests
{
    private static readonly string[] Internal =
        ["keyHash", "key_hash", "hash", "search", "publishedSort", "published_sort", "everPublic", "ever_public", "requestHash", "request_hash", "principal", "password", "secret", "sortKey", "rank", "tx", "seq"];

    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => PropertyNames(p.Value).Prepend(p.Key)),
        JsonArray array => array.SelectMany(PropertyNames),
        _ => [],
    };

    [Fact]
    public async Task Api3_NoAnswerExposesInternalColumns()
    {
        using var admin = app.Client();
        var person = await admin.CreatePerson();
        var source = await admin.CreateSource();
        var quote = await admin.CreateQuote(person.Id(), source.Id());
        var article = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: DateTime.UtcNow.AddMinutes(-1),
            people: [new { personId = person.Id(), role = "subject" }], sources: [new { sourceId = source.Id(), relation = "cited" }], quoteIds: [quote.Id()]));
        await NewKey("reader");
        var urls = new[]
        {
            "/v1/articles?include=quotes,quotes.speaker,quotes.source,people,sources", $"/v1/articles/{article.Id()}?include=quotes,quotes.speaker,quotes.source,people,sources",
            "/v1/quotes?include=speaker,source,articles", $"/v1/quotes/{quote.Id()}?include=speaker,source,articles",
            "/v1/people?include=quotes,articles", $"/v1/people/{person.Id()}?include=quotes,articles",
            "/v1/sources?include=quotes,articles", $"/v1/sources/{source.Id()}?include=quotes,articles",
            "/v1/sync?limit=500", "/v1/keys", "/v1/articles?q=korea", "/v1/quotes?q=kesalahan",
        };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in urls)
            foreach (var client in new[] { admin, app.Client(key: null) })
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                names.UnionWith(PropertyNames(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
            }
        var columns = await Sql.Column<string>(app.ConnectionString,
            "select distinct column_name from information_schema.columns where table_schema = 'public'");
        var leaked = names.Where(n => Internal.Contains(n) || n.Contains('_')).ToList();
        Assert.True(leaked.Count == 0, $"internal names in answers: {string.Join(", ", leaked)}");
        // The secret-bearing and search columns exist, and none comes out under any spelling.
        foreach (var column in new[] { "key_hash", "search", "published_sort" })
        {
            Assert.Contains(column, columns);
            var camel = Regex.Replace(column, "_([a-z])", m => m.Groups[1].Value.ToUpperInvariant());
            Assert.DoesNotContain(camel, names);
        }
        figures.Add("API3 property names seen across all read endpoints", names.Count);
    }

    [Fact]
    public async Task Api3_ClientsCannotSetIdVersionTimestampsOrKeys()
    {
        using var admin = app.Client();
        var forcedId = Guid.CreateVersion7();
        var slug = TestData.Slug("mass");
        var refused = 0;
        foreach (var (field, value) in new (string, object)[] { ("id", forcedId), ("version", 42), ("createdAt", "2000-01-01T00:00:00Z"), ("updatedAt", "2000-01-01T00:00:00Z") })
        {
            var body = new JsonObject { ["slug"] = slug, ["name"] = "Mass Assignment", [field] = JsonValue.Create(value is Guid g ? g.ToString() : value) };
            var response = await admin.PostAsJsonAsync("/v1/people", body);
            await response.ValidationProblem(field);
            refused++;
        }
        Assert.Equal(0L, await Sql.Scalar<long>(app.ConnectionString, "select count(*) from people where slug = @s or id = @id", ("s", slug), ("id", forcedId)));

        var person = await admin.CreatePerson();
        var url = $"/v1/people/{person.Id()}";
        var full = new JsonObject { ["slug"] = (string)person["slug"]!, ["name"] = "Renamed", ["version"] = 99 };
        await (await admin.Put(url, full, "\"1\"")).ValidationProblem("version");
        foreach (var (field, value) in new (string, JsonNode)[] { ("id", forcedId.ToString()), ("version", 50), ("createdAt", "2000-01-01T00:00:00Z") })
        {
            await (await admin.Patch(url, new JsonObject { [field] = value }, "\"1\"")).Problem(HttpStatusCode.BadRequest, "validation_failed");
            refused++;
        }
        var unchanged = await admin.GetOk(url);
        Assert.Equal(1, (int)unchanged["version"]!);
        Assert.Equal(person.Id(), unchanged.Id());
        Assert.Equal((string?)person["createdAt"], (string?)unchanged["createdAt"]);

        // Nobody chooses their own key or its prefix; embedded read-only objects are refused.
        await (await admin.PostAsJsonAsync("/v1/keys", new { name = "chosen", role = "reader", key = "cak_mine" })).ValidationProblem("key");
        await (await admin.PostAsJsonAsync("/v1/keys", new { name = "chosen", role = "reader", prefix = "cak_mine" })).ValidationProblem("prefix");
        var withEmbedded = TestData.Article(people: [new { personId = person.Id(), role = "subject", person = new { id = person.Id(), name = "Forged" } }]);
        await (await admin.PostAsJsonAsync("/v1/articles", withEmbedded)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        figures.Add("API3 mass-assignment attempts refused", refused + 4);
    }
}
