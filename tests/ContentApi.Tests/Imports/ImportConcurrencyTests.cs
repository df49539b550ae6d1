using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContentApi.Tests.Imports;

/// <summary>Imports committed at the same moment that name the same new person, organisation and outlet.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportConcurrencyTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    /// <summary>Letters only: the outlet pattern reads a capitalised word of letters.</summary>
    private static string Tag() => "S" + new string(Guid.NewGuid().ToString("N")[..7].Select(c => (char)('a' + c % 26)).ToArray());

    private static string Story(string tag, int i) => $"""
        Banjir Rendam Desa {tag} {i}
        Banjir merendam ratusan rumah di Desa {tag}, Kabupaten Lembah Hijau, Senin (6/5).
        Kepala Pelaksana BPBD Lembah Hijau, Wirawan {tag}putra, mengatakan air mulai surut sejak pagi di dusun nomor {i}. "Kami sudah menyiapkan dapur umum nomor {i}," kata Wirawan.
        "Warga diminta tetap waspada di posko nomor {i}," ujarnya kepada kantor berita Warta{tag}.
        Kementerian Sosial Lembah{tag} menyatakan bantuan logistik untuk posko nomor {i} tiba dalam dua hari.
        """;

    [Fact]
    public async Task ConcurrentCommits_NamingTheSameNewPersonAndOutlet_CreateEachOnce_AndLinkEveryQuoteToIt()
    {
        const int imports = 8;
        var tag = Tag();
        var person = $"Wirawan {tag}putra";
        var organisation = $"Kementerian Sosial Lembah{tag}";
        var outlet = $"Warta{tag}";

        // The story proposes them all as new, so every commit below plans to create them.
        var dry = await admin.PostAsJsonAsync("/v1/imports?dryRun=true", new { text = Story(tag, 0) });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var proposal = JsonNode.Parse(await dry.Content.ReadAsStringAsync())!["proposal"]!;
        var people = proposal["people"]!.AsArray().Select(p => $"{p!["name"]} {p["match"]}").ToList();
        var outlets = proposal["sources"]!.AsArray().Select(s => $"{s!["name"]} {s["match"]}").ToList();
        Assert.Contains($"{person} new", people);
        Assert.Contains($"{organisation} new", people);
        Assert.Equal([$"{outlet} new"], outlets);

        var results = await CommitAllAtOnceAsync(imports, i => new { text = Story(tag, i) });

        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        var personIds = (await conn.QueryAsync<Guid>("select id from people where name = @Name", new { Name = person })).ToList();
        var organisationIds = (await conn.QueryAsync<Guid>("select id from people where name = @Name", new { Name = organisation })).ToList();
        var sourceIds = (await conn.QueryAsync<Guid>("select id from sources where name = @Name", new { Name = outlet })).ToList();
        var personId = Assert.Single(personIds);
        var organisationId = Assert.Single(organisationIds);
        var sourceId = Assert.Single(sourceIds);

        // Each answer names the stored rows; every quote of every import is linked to them, and the articles too.
        var quoteIds = new List<Guid>();
        foreach (var body in results)
        {
            var answer = JsonNode.Parse(body)!;
            var quotes = answer["proposal"]!["quotes"]!.AsArray();
            Assert.Equal(4, quotes.Count(q => q!["quoteId"] is not null));
            foreach (var q in quotes.Where(q => q!["quoteId"] is not null))
            {
                var speaker = (string)q!["speaker"]!["name"]!;
                Assert.Equal(speaker == person ? personId : organisationId, (Guid)q["speaker"]!["personId"]!);
                quoteIds.Add((Guid)q["quoteId"]!);
            }
            var sources = answer["proposal"]!["sources"]!.AsArray();
            Assert.Equal(sourceId, (Guid)sources.Single(s => (string?)s!["name"] == outlet)!["sourceId"]!);
            Assert.Contains(personId.ToString(), answer["article"]!["people"]!.ToJsonString());
        }
        Assert.Equal(imports * 4, quoteIds.Distinct().Count());
        var speakers = await conn.QueryAsync<(Guid Speaker, Guid? Source)>("select speaker_id, source_id from quotes where id = any(@Ids)", new { Ids = quoteIds.ToArray() });
        Assert.All(speakers, s => Assert.Contains(s.Speaker, new[] { personId, organisationId }));
        Assert.Equal(imports, speakers.Count(s => s.Source == sourceId));
        Assert.Equal(imports, await conn.ExecuteScalarAsync<long>("select count(*) from article_people where person_id = @Id", new { Id = personId }));
        Assert.Equal(imports, await conn.ExecuteScalarAsync<long>("select count(*) from article_sources where source_id = @Id", new { Id = sourceId }));
    }

    [Fact]
    public async Task ConcurrentCommits_OfTheSameNewQuotesByTheSameSpeakers_StoreEachQuoteOnce()
    {
        const int imports = 8;
        var tag = Tag();
        // Both speakers are stored already, so the imports create no one: nothing but the quotes themselves to serialise on.
        async Task<Guid> PersonAsync(string slug, string name)
        {
            var response = await admin.PostAsJsonAsync("/v1/people", new { slug = $"{slug}-{tag.ToLowerInvariant()}", name });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (Guid)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
        }
        var ratnaId = await PersonAsync("ratna", $"Ratna {tag}wati");
        var hendraId = await PersonAsync("hendra", $"Hendra {tag}sono");
        var story = $"""
            Sungai di Desa {tag} meluap setelah hujan deras semalaman.
            "Kami mengungsikan dua ratus warga ke balai desa," kata Ratna {tag}wati.
            "Dapur umum sudah berdiri sejak pagi," ujar Ratna.
            "Jalan provinsi masih bisa dilalui," kata Hendra {tag}sono.
            "Kami menunggu air surut sebelum membersihkan lumpur," ujar Hendra.
            """;

        var results = await CommitAllAtOnceAsync(imports, i => new { text = story, title = $"Sungai Meluap di {tag} {i}" });

        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        var stored = (await conn.QueryAsync<(Guid Id, Guid Speaker)>(
            "select id, speaker_id from quotes where speaker_id = any(@Ids)", new { Ids = new[] { ratnaId, hendraId } })).ToList();
        Assert.Equal(4, stored.Count);
        Assert.Equal(2, stored.Count(q => q.Speaker == ratnaId));

        // Every import links the same four stored quotes, each of them from all eight articles.
        foreach (var body in results)
        {
            var ids = JsonNode.Parse(body)!["proposal"]!["quotes"]!.AsArray().Select(q => (Guid)q!["quoteId"]!).ToHashSet();
            Assert.Equal(stored.Select(q => q.Id).ToHashSet(), ids);
        }
        var links = await conn.QueryAsync<long>("select count(*) from article_quotes where quote_id = any(@Ids) group by quote_id",
            new { Ids = stored.Select(q => q.Id).ToArray() });
        Assert.All(links, n => Assert.Equal(imports, n));
    }

    /// <summary>Posts every import at the same moment (released together) and requires a 201 for each; their bodies.</summary>
    private async Task<string[]> CommitAllAtOnceAsync(int imports, Func<int, object> body)
    {
        using var start = new SemaphoreSlim(0);
        var commits = Enumerable.Range(1, imports).Select(async i =>
        {
            await start.WaitAsync();
            using var client = factory.Admin();
            var response = await client.PostAsJsonAsync("/v1/imports", body(i));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(imports);
        var results = await Task.WhenAll(commits);
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.Created, $"{r.StatusCode}: {r.Body}"));
        return results.Select(r => r.Body).ToArray();
    }
}
