using System.Net;
using System.Text;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Hosting;
using ContentApi.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// ArticleRepository.GetDocumentAsync builds a reader's article whole in PostgreSQL (the benchmark's compare-document):
/// its bytes must be what the serializer writes for the same reader, for every include combination, by slug and by id.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ArticleDocumentEquivalenceTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();
    private ArticleRepository Articles => factory.Services.GetRequiredService<ArticleRepository>();

    /// <summary>Texts the two paths could escape or order differently.</summary>
    private static readonly string[] Texts =
    [
        "Pemerintah AS mengancam: Korut akan menghadapi \"konsekuensi\".",
        "emoji 😀 astral 𝔘 𠜎 family 👩‍👩‍👧 flag 🇮🇩",
        "RTL مرحبا بالعالم \u200F עברית \u202Eevil\u202C",
        "controls \u0001\u0008\t\n\r\u001f\u007f\u0085 end",
        "quotes \" ' backslash \\ \\\\ slash / \\u0041 literal",
        "</script><script>alert('x')</script> & < > + ` =",
        "separators \u2028 \u2029 bom \uFEFF nbsp \u00A0 soft\u00AD hyphen zwsp\u200B",
        "combining é e\u0301 ﷽ ﬀ 한국어 日本語 \uE000 private \uFFFD replacement",
        "",
    ];

    private static readonly string[] IncludeNames = ["quotes", "quotes.speaker", "quotes.source", "people", "sources"];

    /// <summary>Every include= value: each subset of the five names (32, the empty one meaning no include).</summary>
    private static IEnumerable<string?> EveryInclude() =>
        Enumerable.Range(0, 1 << IncludeNames.Length).Select(mask =>
            mask == 0 ? null : string.Join(',', IncludeNames.Where((_, i) => (mask & (1 << i)) != 0)));

    private static ArticleIncludes Parse(string? include)
    {
        Assert.True(ArticleIncludes.TryParse(include, out var parsed, out var error), error);
        return parsed;
    }

    private async Task AssertSameBytes(Guid id, string slug)
    {
        foreach (var include in EveryInclude())
        {
            var includes = Parse(include);
            foreach (var key in new[] { new IdOrSlug(id, null), new IdOrSlug(null, slug) })
            {
                var article = await Articles.GetAsync(key, Audience.Reader, includes, CancellationToken.None);
                Assert.NotNull(article);
                var expected = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(article, ContentJson.Writing.GetTypeInfo(typeof(ArticleResponse))));
                var document = await Articles.GetDocumentAsync(key, includes, CancellationToken.None);
                Assert.NotNull(document);
                Assert.Equal((article!.Id, article.Version, article.UpdatedAt), (document!.Id, document.Version, document.UpdatedAt));
                var actual = Encoding.UTF8.GetString(document.Utf8Json);
                Assert.True(expected == actual, $"include={include} key={key}\n{Difference(expected, actual)}");
            }
        }
    }

    /// <summary>Where two texts part, with some context (a whole document is too long to read in a failure).</summary>
    internal static string Difference(string expected, string actual)
    {
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        var from = Math.Max(0, at - 150);
        string Around(string s) => s[from..Math.Min(s.Length, at + 150)];
        return $"first difference at {at} of {expected.Length}/{actual.Length}\nserializer: ...{Around(expected)}\ndocument:   ...{Around(actual)}";
    }

    [Fact]
    public async Task SampleStory_TheDocumentIsTheSerializersBytes_ForEveryIncludeBySlugAndById()
    {
        await factory.Services.GetRequiredService<SampleLoader>().LoadAsync(CancellationToken.None);
        const string Slug = "as-wanti-wanti-korut-soal-senjata-untuk-rusia";
        var id = (await reader.GetOk($"/v1/articles/{Slug}")).Id();
        await AssertSameBytes(id, Slug);
    }

    [Fact]
    public async Task GeneratedCorpus_TheDocumentIsTheSerializersBytes_ForEveryIncludeBySlugAndById()
    {
        var corpus = await CreateCorpus();
        foreach (var (id, slug) in corpus)
            await AssertSameBytes(id, slug);
    }

    [Fact]
    public async Task ThroughHttp_TheDocumentIsWhatReadersAndEditorsAreAnswered_AndDraftsHaveNone()
    {
        var corpus = await CreateCorpus();
        foreach (var (id, slug) in corpus.Take(3))
            foreach (var include in new[] { null, "quotes.speaker,quotes.source,people,sources", "quotes", "people,sources" })
            {
                var query = include is null ? "" : "?include=" + include;
                var fromReader = await reader.GetAsync($"/v1/articles/{slug}{query}");
                var readerBytes = await fromReader.Content.ReadAsByteArrayAsync();
                Assert.Equal(HttpStatusCode.OK, fromReader.StatusCode);
                var document = await Articles.GetDocumentAsync(new IdOrSlug(null, slug), Parse(include), CancellationToken.None);
                Assert.True(document!.Utf8Json.AsSpan().SequenceEqual(readerBytes),
                    $"include={include}\n{Difference(Encoding.UTF8.GetString(readerBytes), Encoding.UTF8.GetString(document.Utf8Json))}");
                // Editors get the same bytes where they see the same data: a quote's articleIds name drafts for editors only.
                if (include?.Contains("quotes") != true)
                {
                    var fromEditor = await admin.GetAsync($"/v1/articles/{id}{query}");
                    var editorBytes = await fromEditor.Content.ReadAsByteArrayAsync();
                    Assert.Equal(HttpStatusCode.OK, fromEditor.StatusCode);
                    Assert.True(editorBytes.AsSpan().SequenceEqual(document.Utf8Json),
                        $"include={include}\n{Difference(Encoding.UTF8.GetString(editorBytes), Encoding.UTF8.GetString(document.Utf8Json))}");
                }
            }

        // Readers see no draft, by either key, as through the API.
        var draft = await admin.CreateArticle(TestData.Article());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/articles/{draft.Id()}?include=quotes")).StatusCode);
        Assert.Null(await Articles.GetDocumentAsync(new IdOrSlug(draft.Id(), null), Parse("quotes"), CancellationToken.None));
        Assert.Null(await Articles.GetDocumentAsync(new IdOrSlug(null, (string)draft["slug"]!), ArticleIncludes.None, CancellationToken.None));
    }

    /// <summary>
    /// Published articles with every block kind, nulls, empty lists, stored JSON missing optional keys, timestamps with
    /// and without fractions, and the texts above in every string the document carries. The texts go in with SQL, past
    /// the validators, so what the database can hold is what is compared.
    /// </summary>
    private async Task<List<(Guid Id, string Slug)>> CreateCorpus()
    {
        var p1 = await admin.CreatePerson("Jake Sullivan", "Sullivan");
        var p2 = await admin.CreatePerson("Kamala Harris");
        var s1 = await admin.CreateSource("Reuters");
        var s2 = await admin.CreateSource("AFP");
        var q1 = await admin.CreateQuote(p1.Id(), s1.Id(), "Mereka akan menanggung konsekuensinya");
        var q2 = await admin.CreateQuote(p2.Id(), null, "Saya pikir itu akan menjadi kesalahan besar");
        var past = DateTime.UtcNow.AddHours(-1);

        var corpus = new List<(Guid, string)>();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        for (var i = 0; i < Texts.Length; i++)
        {
            var text = Texts[i];
            var full = i % 3 != 2; // every third article has no links and an empty body
            var created = await admin.CreateArticle(TestData.Article(status: "published", publishedAt: past,
                quoteIds: full ? [q1.Id(), q2.Id()] : [],
                people: full ? [new { personId = p1.Id(), role = "subject" }, new { personId = p2.Id(), role = "mentioned" }] : [],
                sources: full ? [new { sourceId = s1.Id(), relation = "cited" }, new { sourceId = s2.Id(), relation = "reported-via" }] : []));
            var blockText = text.Length == 0 ? "." : text; // a paragraph or heading has at least one character
            object[] body = full
                ?
                [
                    new { type = "paragraph", text = blockText },
                    new { text = blockText, type = "heading" }, // no level: reads as 2
                    new { type = "heading", text = text + "!", level = 3 },
                    new { type = "quote", quoteId = q1.Id() },
                    new { type = "image", url = "https://example.org/a.jpg?x=1&y=%222%22", alt = text },
                    new { type = "image", url = "https://example.org/b.jpg", alt = "alt", caption = text },
                    new { type = "embed", url = "https://example.org/v", kind = "video" },
                    new { type = "embed", url = "https://example.org/p", title = text, kind = "social" },
                    new { type = "paragraph", text = blockText + text },
                ]
                : [];
            var hero = (i % 3) switch
            {
                0 => JsonSerializer.Serialize(new { url = "https://example.org/h.jpg", alt = text }),
                1 => JsonSerializer.Serialize(new { caption = text, alt = "hero", url = "https://example.org/h.jpg" }),
                _ => null,
            };
            var corrections = i % 2 == 0
                ? JsonSerializer.Serialize(new[] { new { at = "2026-01-02T03:04:05.000000Z", text }, new { at = "2026-01-02T03:04:05.120000Z", text = "kedua" } })
                : "[]";
            await conn.ExecuteAsync("""
                update articles set title = @Title, summary = @Summary, section = @Section, byline = @Byline, tags = @Tags,
                  hero_image = @Hero::jsonb, body = @Body::jsonb, corrections = @Corrections::jsonb,
                  published_at = @PublishedAt, created_at = @CreatedAt, updated_at = @UpdatedAt
                where id = @Id
                """, new
            {
                Id = created.Id(),
                Title = text.Length == 0 ? "kosong" : text,
                Summary = i % 2 == 0 ? null : text,
                Section = i % 2 == 1 ? null : text,
                Byline = i % 4 == 0 ? null : text,
                Tags = i % 3 == 2 ? Array.Empty<string>() : new[] { text, "korea-utara" },
                Hero = hero,
                Body = JsonSerializer.Serialize(body),
                Corrections = corrections,
                PublishedAt = past.AddTicks(-past.Ticks % TimeSpan.TicksPerSecond),
                CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(i * 10 * 100_000), // .0, .1, .2 ... seconds
                UpdatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560 + i * 10),
            });
            corpus.Add((created.Id(), (string)created["slug"]!));
        }

        var weird = string.Concat(Texts);
        await conn.ExecuteAsync("""
            update people set name = @Name, aliases = @Aliases, title = null, affiliation = @Weird, description = @Weird, wikidata_id = null,
              image_url = 'https://example.org/p.jpg', roles = @Roles::jsonb where id = @P1;
            update people set aliases = '{}', title = null, affiliation = null, description = null, roles = '[]' where id = @P2;
            update sources set name = @Name, url = null, country = null where id = @S1;
            update quotes set text = @Weird, occasion = @Weird, speaker_role = @Weird, said_on = null where id = @Q1;
            update quotes set occasion = null, speaker_role = null where id = @Q2;
            """, new
        {
            Weird = weird,
            Name = Texts[1] + Texts[2] + Texts[5], // names hold at most 200 characters
            Aliases = Texts,
            Roles = JsonSerializer.Serialize(new object[]
            {
                new { title = weird, affiliation = weird, from = "2021-01-20", to = "2025-01-20" },
                new { title = "Penasihat" },
            }),
            P1 = p1.Id(), P2 = p2.Id(), S1 = s1.Id(), Q1 = q1.Id(), Q2 = q2.Id(),
        });
        // A draft that uses q1: its id must not reach readers through q1's articleIds.
        await admin.CreateArticle(TestData.Article(quoteIds: [q1.Id()]));
        return corpus;
    }
}
