using System.Net;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Delivery;

/// <summary>
/// Drafts, scheduled and archived articles and the quotes only they use never reach a reader. Generated from the
/// route table: every GET under /v1 (but /v1/keys) is called anonymously with every include it supports, by the ids
/// and slugs of hidden content, with the filters and searches that would find it, and the sync feed is read to the
/// end. No answer may contain a hidden id, slug or marker word. The same calls as an editor must show every hidden
/// marker, so each route's probes demonstrably can see a leak.
/// </summary>
[Collection(ApiCollection.Name)]
public class LeakTests(ContentApiFactory factory)
{
    private static readonly string[] ArticleIncludes = ["quotes", "quotes.speaker", "quotes.source", "people", "sources"];
    private static readonly string[] QuoteIncludes = ["speaker", "source", "articles"];
    private static readonly string[] PersonIncludes = ["quotes", "articles"];
    private static readonly string[] SourceIncludes = ["quotes", "articles"];

    /// <summary>Every GET route under /v1 except /v1/keys, with the includes it supports. A new GET route must be added here.</summary>
    private static readonly Dictionary<string, string[]> GetRoutes = new()
    {
        ["/v1/articles"] = ArticleIncludes,
        ["/v1/articles/{idOrSlug}"] = ArticleIncludes,
        ["/v1/quotes"] = QuoteIncludes,
        ["/v1/quotes/{id:guid}"] = QuoteIncludes,
        ["/v1/people"] = PersonIncludes,
        ["/v1/people/{idOrSlug}"] = PersonIncludes,
        ["/v1/sources"] = SourceIncludes,
        ["/v1/sources/{idOrSlug}"] = SourceIncludes,
        ["/v1/sync"] = [],
    };

    public static TheoryData<string> Routes() => new(GetRoutes.Keys);

    /// <summary>One article with its own quote, person and source; markers are unique words in title, body and quote text.</summary>
    private sealed record Story(string Kind, Guid ArticleId, string Slug, string Marker, Guid QuoteId, string QuoteMarker,
        Guid PersonId, string PersonSlug, string PersonName, Guid SourceId, string SourceSlug, string SourceName)
    {
        public IEnumerable<string> Secrets => [ArticleId.ToString(), Slug, Marker, QuoteId.ToString(), QuoteMarker];
    }

    private sealed record World(Story Published, Story[] Hidden, Guid SharedPersonId, string SharedPersonName,
        Guid SharedSourceId, string SharedSourceName, Guid SharedQuoteId, string Tag)
    {
        public IEnumerable<Story> All => Hidden.Prepend(Published);
        public IEnumerable<string> Secrets => Hidden.SelectMany(h => h.Secrets);
        public IEnumerable<string> HiddenMarkers => Hidden.SelectMany(h => new[] { h.Marker, h.QuoteMarker });
    }

    private sealed record Probe(string Url, HttpStatusCode Status, string[] MustContain, string? Requested = null);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ContentApiFactory, World> Worlds = [];

    /// <summary>Articles created before the world: at least a first span of them, so ranked search takes the windowed paths.</summary>
    protected virtual int FillerArticles => 0;

    private async Task<World> Build()
    {
        await Gate.WaitAsync();
        try
        {
            if (Worlds.TryGetValue(factory, out var built))
                return built;
            var admin = factory.Admin();
            for (var i = 0; i < FillerArticles; i++)
                await admin.CreateArticle(TestData.Article(status: i % 2 == 0 ? "published" : "draft", publishedAt: DateTime.UtcNow.AddHours(-i - 1),
                    body: [new { type = "paragraph", text = "Berita lain tentang senjata." }]));
            return Worlds[factory] = await Create(admin);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<World> Create(HttpClient admin)
    {
        var tag = DeliveryTestKit.Marker("tag");
        var sharedPerson = await admin.CreatePersonWithSlug(TestData.Slug("leak-person"), "Saksi " + DeliveryTestKit.Marker("p"));
        var sharedSource = await admin.CreateSourceNamed("Kantor " + DeliveryTestKit.Marker("s"));
        var sharedQuote = await admin.CreateQuote(sharedPerson.Id(), sharedSource.Id(), text: $"Kutipan bersama {DeliveryTestKit.Marker("shared")} soal senjata.");
        var now = DateTime.UtcNow;

        async Task<Story> Make(string kind, string status, DateTime? publishedAt)
        {
            var marker = DeliveryTestKit.Marker("zq");
            var quoteMarker = DeliveryTestKit.Marker("zk");
            var person = await admin.CreatePersonWithSlug(TestData.Slug("leak-person"), "Orang " + DeliveryTestKit.Marker("p"));
            var source = await admin.CreateSourceNamed("Media " + DeliveryTestKit.Marker("s"));
            var quote = await admin.CreateQuote(person.Id(), source.Id(), text: $"Kutipan {quoteMarker} soal senjata.");
            var slug = TestData.Slug("leak-" + kind);
            var article = await admin.CreateArticle(TestData.Article(slug: slug, status: status, publishedAt: publishedAt, title: $"Berita {marker} hari ini",
                tags: [tag],
                body:
                [
                    new { type = "paragraph", text = $"Isi berita {marker} tentang senjata." },
                    new { type = "quote", quoteId = quote.Id() },
                    new { type = "quote", quoteId = sharedQuote.Id() },
                ],
                people: [new { personId = sharedPerson.Id(), role = "subject" }, new { personId = person.Id(), role = "mentioned" }],
                sources: [new { sourceId = sharedSource.Id(), relation = "cited" }, new { sourceId = source.Id(), relation = "reported-via" }],
                quoteIds: [quote.Id(), sharedQuote.Id()]));
            Assert.Equal(status, (string?)article["status"]);
            return new Story(kind, article.Id(), slug, marker, quote.Id(), quoteMarker,
                person.Id(), (string)person["slug"]!, (string)person["name"]!, source.Id(), (string)source["slug"]!, (string)source["name"]!);
        }

        var published = await Make("published", "published", now.AddMinutes(-5));
        Story[] hidden =
        [
            await Make("draft", "draft", now.AddDays(-1)), // a past publishedAt must not make a draft visible
            await Make("scheduled", "published", now.AddDays(1)),
            await Make("archived", "archived", now.AddDays(-2)),
        ];
        return new World(published, hidden, sharedPerson.Id(), (string)sharedPerson["name"]!, sharedSource.Id(), (string)sharedSource["name"]!, sharedQuote.Id(), tag);
    }

    [Fact]
    public void TheMapCoversExactlyTheGetRoutesOfTheRouteTable()
    {
        var gets = DeliveryTestKit.V1Routes(factory.Services)
            .Where(r => r.Method is "GET" or "HEAD" or "*")
            .Where(r => r.Pattern != "/v1/keys" && !r.Pattern.StartsWith("/v1/keys/", StringComparison.Ordinal))
            // Revision routes answer readers 401/403 before any content: RevisionTests.EveryRevisionRoute_Is401Anonymous_403ForReaders_AndOpenToEditors.
            .Where(r => !r.Pattern.Contains("/revisions", StringComparison.Ordinal))
            .Where(r => r.Pattern != "/v1/webhooks" && !r.Pattern.StartsWith("/v1/webhooks/", StringComparison.Ordinal))
            .Select(r => r.Pattern).Distinct().Order(StringComparer.Ordinal).ToList();
        var missing = gets.Except(GetRoutes.Keys).ToList();
        var stale = GetRoutes.Keys.Except(gets).ToList();
        Assert.True(missing.Count == 0, "GET routes without leak probes; add them to LeakTests.GetRoutes and Probes: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "LeakTests.GetRoutes names routes that no longer exist: " + string.Join(", ", stale));
    }

    [Trait("Speed", "Slow")]
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_NeverShowsHiddenContentToAnonymousReaders(string route)
    {
        var w = await Build();
        var anonymous = factory.Anonymous();
        var failures = new List<string>();
        var seen = new List<string>();

        if (route == "/v1/sync")
        {
            foreach (var (url, text) in await ReadSync(anonymous, [w.Published.Marker]))
            {
                seen.Add(text);
                foreach (var secret in w.Secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    failures.Add($"{url}: contains hidden '{secret}' ({Describe(w, secret)}): {Around(text, secret)}");
            }
        }
        else
        {
            var probes = Probes(route, w).ToList();
            Assert.NotEmpty(probes);
            foreach (var probe in probes)
            {
                var response = await anonymous.GetAsync(probe.Url);
                var text = await response.Content.ReadAsStringAsync();
                seen.Add(text);
                if (response.StatusCode != probe.Status)
                {
                    failures.Add($"{probe.Url}: expected {(int)probe.Status}, got {(int)response.StatusCode}: {Cut(text)}");
                    continue;
                }
                if (probe.Status == HttpStatusCode.NotFound)
                {
                    // The problem may echo what was asked for, nothing else, and reads exactly like the one for a key that never existed.
                    var problem = await response.Problem(HttpStatusCode.NotFound, "not_found");
                    text = text.Replace(probe.Requested!, "<requested>", StringComparison.OrdinalIgnoreCase);
                    var unknownKey = Guid.TryParse(probe.Requested, out _) ? Guid.NewGuid().ToString() : TestData.Slug("no-such");
                    var unknown = await (await anonymous.GetAsync(probe.Url.Replace(probe.Requested!, unknownKey, StringComparison.Ordinal)))
                        .Problem(HttpStatusCode.NotFound, "not_found");
                    if ((string?)problem["title"] != (string?)unknown["title"]
                        || ((string?)problem["detail"])?.Replace(probe.Requested!, "<key>") != ((string?)unknown["detail"])?.Replace(unknownKey, "<key>")
                        || (string?)problem["type"] != (string?)unknown["type"])
                        failures.Add($"{probe.Url}: the 404 differs from one for a key that never existed: {problem.ToJsonString()} vs {unknown.ToJsonString()}");
                }
                foreach (var secret in w.Secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    failures.Add($"{probe.Url}: contains hidden '{secret}' ({Describe(w, secret)}): {Around(text, secret)}");
                foreach (var must in probe.MustContain.Where(m => !text.Contains(m, StringComparison.OrdinalIgnoreCase)))
                    failures.Add($"{probe.Url}: should contain visible '{must}' but does not: {Cut(text)}");
            }
        }

        // The published story is visible through this route: the checks above look at real content.
        var all = string.Join("\n", seen);
        Assert.Contains(w.Published.Marker, all);
        Assert.Contains(w.Published.ArticleId.ToString(), all);
        Assert.True(failures.Count == 0, $"{failures.Count} leak(s) on {route}:\n" + string.Join("\n", failures));
    }

    [Trait("Speed", "Slow")]
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_ShowsTheHiddenContentToEditors_SoTheLeakProbesCanFail(string route)
    {
        var w = await Build();
        var editor = factory.WithKey((await factory.Admin().CreateKey("editor")).Key);
        var bodies = new List<string>();
        if (route == "/v1/sync")
            bodies.AddRange((await ReadSync(editor, [.. w.HiddenMarkers, w.Published.Marker])).Select(p => p.Text));
        else
            foreach (var probe in Probes(route, w))
            {
                // Editors see hidden content, so every probe (also those a reader gets 404 for) is a 200.
                var response = await editor.GetAsync(probe.Url);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe.Url} as an editor: {(int)response.StatusCode} {Cut(text)}");
                bodies.Add(text);
            }
        var all = string.Join("\n", bodies);
        var unseen = w.HiddenMarkers.Append(w.Published.Marker).Where(m => !all.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.True(unseen.Count == 0, $"{route}: the probes never show these markers even to an editor, so they cannot detect a leak of them: " +
            string.Join(", ", unseen.Select(m => $"{m} ({Describe(w, m)})")));
    }

    /// <summary>Every request a route gets: by hidden and visible keys, with filters and searches that match hidden content, with every include.</summary>
    private static IEnumerable<Probe> Probes(string route, World w)
    {
        var includes = GetRoutes[route];
        var pub = w.Published;
        var since = TestData.Iso(DateTime.UtcNow.AddHours(-1));
        var longAgo = TestData.Iso(DateTime.UtcNow.AddDays(-30));
        IEnumerable<(string Query, string[] Must)>? lists = route switch
        {
            "/v1/articles" => w.All.SelectMany(s => new (string, string[])[]
                {
                    ($"q={s.Marker}", s == pub ? [pub.ArticleId.ToString()] : []),
                    ($"q={s.QuoteMarker}", []),
                    ($"personId={s.PersonId}", s == pub ? [pub.ArticleId.ToString()] : []),
                    ($"sourceId={s.SourceId}", s == pub ? [pub.ArticleId.ToString()] : []),
                }).Concat(
                [
                    ($"tag={w.Tag}", [pub.ArticleId.ToString(), pub.Marker]),
                    ($"personId={w.SharedPersonId}", [pub.ArticleId.ToString()]),
                    ($"sourceId={w.SharedSourceId}", [pub.ArticleId.ToString()]),
                    ($"tag={w.Tag}&status=draft", []),
                    ($"tag={w.Tag}&status=archived", []),
                    ($"tag={w.Tag}&status=published", [pub.ArticleId.ToString()]),
                    ($"tag={w.Tag}&publishedAfter={longAgo}", [pub.ArticleId.ToString()]),
                    ($"tag={w.Tag}&publishedBefore={TestData.Iso(DateTime.UtcNow.AddDays(3))}", [pub.ArticleId.ToString()]),
                    ($"tag={w.Tag}&updatedSince={since}&sort=-updatedAt", [pub.ArticleId.ToString()]),
                    ($"tag={w.Tag}&sort=publishedAt&language=id", [pub.ArticleId.ToString()]),
                    ($"q=senjata&tag={w.Tag}", [pub.ArticleId.ToString()]),
                    ("sort=-updatedAt", [pub.ArticleId.ToString()]),
                ]),
            "/v1/quotes" => w.All.SelectMany(s => new (string, string[])[]
                {
                    ($"q={s.QuoteMarker}", s == pub ? [pub.QuoteId.ToString()] : []),
                    ($"q={s.Marker}", []),
                    ($"speakerId={s.PersonId}", s == pub ? [pub.QuoteId.ToString()] : []),
                    ($"sourceId={s.SourceId}", s == pub ? [pub.QuoteId.ToString()] : []),
                    ($"articleId={s.ArticleId}", s == pub ? [pub.QuoteId.ToString(), w.SharedQuoteId.ToString()] : []),
                }).Concat(
                [
                    ($"speakerId={w.SharedPersonId}", [w.SharedQuoteId.ToString()]),
                    ($"sourceId={w.SharedSourceId}&language=id", [w.SharedQuoteId.ToString()]),
                    ($"speakerId={w.SharedPersonId}&saidAfter=2000-01-01&saidBefore=2100-01-01", [w.SharedQuoteId.ToString()]),
                    ("q=senjata", []),
                    ("", []),
                ]),
            "/v1/people" => w.All.Select(s => ($"q={TestData.Q(s.PersonName)}", new[] { s.PersonId.ToString() }))
                .Append(($"q={TestData.Q(w.SharedPersonName)}", [w.SharedPersonId.ToString()])),
            "/v1/sources" => w.All.Select(s => ($"q={TestData.Q(s.SourceName)}", new[] { s.SourceId.ToString() }))
                .Append(($"q={TestData.Q(w.SharedSourceName)}&kind=agency", [w.SharedSourceId.ToString()])),
            _ => null,
        };
        if (lists is not null)
        {
            foreach (var (query, must) in lists)
                foreach (var include in IncludeVariants(includes))
                {
                    var parts = new[] { query, "limit=100", include is null ? "" : "include=" + include }.Where(p => p.Length > 0);
                    yield return new Probe($"{route}?{string.Join('&', parts)}", HttpStatusCode.OK, must);
                }
            yield break;
        }

        IEnumerable<(string Key, bool Visible, string[] Must)> keys = route switch
        {
            // Articles by id and by slug: the hidden ones are not found; the published one is.
            "/v1/articles/{idOrSlug}" => w.All.SelectMany(s => new[] { s.ArticleId.ToString(), s.Slug })
                .Select(k => (Key: k, Visible: k == pub.ArticleId.ToString() || k == pub.Slug, Must: new[] { pub.Marker })),
            "/v1/quotes/{id:guid}" => w.All.Select(s => (Key: s.QuoteId.ToString(), Visible: s == pub, Must: new[] { pub.QuoteMarker }))
                .Append((Key: w.SharedQuoteId.ToString(), Visible: true, Must: [w.SharedQuoteId.ToString()])),
            // People and sources are always visible, also those only hidden content links to.
            "/v1/people/{idOrSlug}" => w.All.SelectMany(s => new[] { s.PersonId.ToString(), s.PersonSlug })
                .Select(k => (Key: k, Visible: true, Must: Array.Empty<string>()))
                .Append((Key: w.SharedPersonId.ToString(), Visible: true, Must: Array.Empty<string>())),
            "/v1/sources/{idOrSlug}" => w.All.SelectMany(s => new[] { s.SourceId.ToString(), s.SourceSlug })
                .Select(k => (Key: k, Visible: true, Must: Array.Empty<string>()))
                .Append((Key: w.SharedSourceId.ToString(), Visible: true, Must: Array.Empty<string>())),
            _ => throw new InvalidOperationException($"No probes for {route}: add them to LeakTests.Probes."),
        };
        foreach (var (key, visible, must) in keys)
            foreach (var include in IncludeVariants(includes))
            {
                var url = DeliveryTestKit.Fill(route, key) + (include is null ? "" : "?include=" + include);
                // With include=articles (people, sources) or include=quotes, the published story shows up; the must-list
                // is only asserted where it has to be there.
                var mustHere = visible ? Must(route, include, key, must, w) : [];
                yield return new Probe(url, visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, mustHere, key);
            }
    }

    private static string[] Must(string route, string? include, string key, string[] must, World w)
    {
        var pub = w.Published;
        var personOrSourceOfPublished = key == pub.PersonId.ToString() || key == pub.PersonSlug || key == pub.SourceId.ToString()
            || key == pub.SourceSlug || key == w.SharedPersonId.ToString() || key == w.SharedSourceId.ToString();
        return route switch
        {
            "/v1/people/{idOrSlug}" or "/v1/sources/{idOrSlug}" when personOrSourceOfPublished && include?.Contains("articles") == true =>
                [.. must, pub.ArticleId.ToString(), pub.Marker],
            "/v1/quotes/{id:guid}" when include?.Contains("articles") == true => [.. must, pub.ArticleId.ToString(), pub.Marker],
            "/v1/articles/{idOrSlug}" when include?.Contains("quotes") == true => [.. must, pub.QuoteMarker],
            _ => must,
        };
    }

    private static IEnumerable<string?> IncludeVariants(string[] includes) =>
        includes.Length == 0 ? [null] : includes.Prepend(null).Append(string.Join(',', includes)).Distinct();

    /// <summary>
    /// Reads the sync feed from the start to the end: (url, body) per page. The feed's horizon is cluster-wide, so a
    /// transaction another test holds open in another database delays changes (never skips them): keep reading from
    /// the last token, for up to 30 s, until every <paramref name="awaited"/> marker has come.
    /// </summary>
    private static async Task<List<(string Url, string Text)>> ReadSync(HttpClient client, IReadOnlyCollection<string> awaited)
    {
        var pages = new List<(string, string)>();
        var url = "/v1/sync?limit=500";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; i < 2000; i++)
        {
            var response = await client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
            pages.Add((url, text));
            var page = JsonNode.Parse(text)!;
            url = "/v1/sync?limit=500&since=" + TestData.Q((string)page["nextToken"]!);
            if ((bool)page["hasMore"]!)
                continue;
            if (DateTime.UtcNow > deadline || awaited.All(m => pages.Any(p => p.Item2.Contains(m, StringComparison.Ordinal))))
                return pages;
            await Task.Delay(200);
        }
        throw new InvalidOperationException("The sync feed did not end within 2000 pages.");
    }

    private static string Describe(World w, string secret)
    {
        foreach (var s in w.Hidden)
        {
            if (secret == s.ArticleId.ToString()) return $"{s.Kind} article id";
            if (secret == s.Slug) return $"{s.Kind} article slug";
            if (secret == s.Marker) return $"{s.Kind} article marker";
            if (secret == s.QuoteId.ToString()) return $"quote id of the {s.Kind} article";
            if (secret == s.QuoteMarker) return $"quote marker of the {s.Kind} article";
        }
        return secret == w.Published.Marker ? "published article marker" : "?";
    }

    private static string Around(string text, string secret)
    {
        var i = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
        var from = Math.Max(0, i - 120);
        return "…" + text[from..Math.Min(text.Length, i + secret.Length + 80)] + "…";
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
