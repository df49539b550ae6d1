using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Imports;

/// <summary>POST /v1/imports through HTTP against the real app and PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportEndpointsTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient reader = factory.Anonymous();

    private static string SampleStory => File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "db", "samples", "story-id-korut-rusia.txt"));

    private static HttpContent Text(string text, string mediaType = "text/plain")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    private static HttpContent Bytes(byte[] bytes, string mediaType = "text/plain")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<(long Articles, long Quotes, long People, long Sources)> CountsAsync() =>
        (await CountAsync("articles"), await CountAsync("quotes"), await CountAsync("people"), await CountAsync("sources"));

    private static JsonNode QuoteStartingWith(JsonNode proposal, string start) =>
        proposal["quotes"]!.AsArray().First(q => ((string)q!["text"]!).StartsWith(start, StringComparison.Ordinal))!;

    /// <summary>A story whose people and outlets no other test uses, so matches and counts are this test's own.</summary>
    private static string FreshStory(string tag) => $"""
        Banjir Rendam {tag}
        Banjir merendam ratusan rumah di Desa {tag}, Kabupaten Lembah Hijau, Senin (6/5).
        Kepala Pelaksana BPBD Lembah Hijau, Wirawan {tag}putra, mengatakan air mulai surut sejak pagi. "Kami sudah menyiapkan dapur umum," kata Wirawan.
        "Warga diminta tetap waspada," ujarnya kepada Yonhap.
        """;

    [Fact]
    public async Task DryRun_OnTheSampleStory_ProposesItsQuotesPeopleAndSources_AndWritesNothing()
    {
        var before = await CountsAsync();
        var response = await admin.PostAsync("/v1/imports?dryRun=true", Text(SampleStory));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(body["article"]);
        var proposal = body["proposal"]!;
        Assert.Equal("id", (string?)proposal["language"]);

        var peskov = QuoteStartingWith(proposal, "Tidak, saya tidak bisa.");
        Assert.Equal("direct", (string?)peskov["type"]);
        Assert.Equal("Dmitry Peskov", (string?)peskov["speaker"]!["name"]);
        Assert.Equal("Reuters", (string?)peskov["source"]!["name"]);
        Assert.Null(peskov["quoteId"]);
        var sullivan = QuoteStartingWith(proposal, "Mereka akan menanggung");
        Assert.Equal("Jake Sullivan", (string?)sullivan["speaker"]!["name"]);
        Assert.Equal("Penasihat Keamanan Nasional AS", (string?)sullivan["speakerRole"]);
        Assert.Equal("AFP", (string?)sullivan["source"]!["name"]);
        var harris = QuoteStartingWith(proposal, "Saya pikir itu akan menjadi kesalahan besar.");
        Assert.EndsWith("Harris", (string?)harris["speaker"]!["name"]);
        Assert.Equal("CBS News", (string?)harris["source"]!["name"]);

        // Offsets are code points into the body block the quote sits in.
        var block = (string)proposal["paragraphs"]![(int)sullivan["paragraph"]!]!["text"]!;
        Assert.Equal((string?)sullivan["text"], block.Substring((int)sullivan["start"]!, (int)sullivan["end"]! - (int)sullivan["start"]!));

        var people = proposal["people"]!.AsArray().Where(p => (string?)p!["kind"] == "person").Select(p => (string)p!["name"]!).ToList();
        Assert.Equal(7, people.Count);
        Assert.Equal(["Reuters", "The New York Times", "AFP", "CBS News"], proposal["sources"]!.AsArray().Select(s => (string)s!["name"]!));

        // Every line but the leftovers is a block, byte for byte; the leftovers are named in warnings.
        var lines = SampleStory.Split('\n').Where(l => l is not ("SCROLL TO CONTINUE WITH CONTENT" or "![]() |")).ToList();
        Assert.Equal(lines, proposal["paragraphs"]!.AsArray().Select(p => (string)p!["text"]!));
        Assert.Equal("heading", (string?)proposal["paragraphs"]![lines.IndexOf("Wanti-wanti AS")]!["type"]);
        var codes = proposal["warnings"]!.AsArray().Select(w => (string)w!["code"]!).ToList();
        Assert.Equal(2, codes.Count(c => c == "leftover_dropped"));
        Assert.Contains("title_proposed", codes);
        Assert.Contains("unnamed_speaker", codes);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task TheSampleStory_ImportedBesideTheStoredSample_IsAttributedToItsPeopleAndSources()
    {
        // A database of its own: another test's import of the same story could have taken the sample's slugs first,
        // and the loader keeps what it finds by slug.
        await using var fresh = new ContentApiFactory();
        await fresh.InitializeAsync();
        var admin = fresh.Admin();
        await fresh.Services.GetRequiredService<ContentApi.Hosting.SampleLoader>().LoadAsync(CancellationToken.None);
        async Task<string> NameOf(string resource, string id)
        {
            var response = await admin.GetAsync($"/v1/{resource}/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!;
        }

        var response = await admin.PostAsJsonAsync("/v1/imports", new { text = SampleStory, publishedAt = "2023-09-08T03:00:00Z", title = "Impor sampel " + Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var proposal = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
        foreach (var (start, person, source) in new[]
        {
            ("Tidak, saya tidak bisa.", "Dmitry Peskov", "Reuters"),
            ("Mereka akan menanggung", "Jake Sullivan", "AFP"),
            ("Saya pikir itu akan menjadi kesalahan besar.", "Kamala Harris", "CBS News"),
        })
        {
            // Other tests may store people of the same name: the match is one of them, not a new person.
            var quote = QuoteStartingWith(proposal, start);
            Assert.Equal("existing", (string?)quote["speaker"]!["match"]);
            Assert.Equal(person, await NameOf("people", (string)quote["speaker"]!["personId"]!));
            Assert.Equal("existing", (string?)quote["source"]!["match"]);
            Assert.Equal(source, await NameOf("sources", (string)quote["source"]!["sourceId"]!));
            Assert.NotNull(quote["quoteId"]);
        }
        Assert.All(proposal["sources"]!.AsArray(), s => Assert.Equal("existing", (string?)s!["match"]));
    }

    [Fact]
    public async Task Commit_CreatesADraftWithItsQuotesPeopleAndSources_NeverShownToReaders()
    {
        var tag = "Sukaraja" + Guid.NewGuid().ToString("N")[..6];
        var before = await CountsAsync();
        var response = await admin.PostAsync("/v1/imports", Text(FreshStory(tag)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var article = body["article"]!;
        var id = (string)article["id"]!;
        Assert.Equal($"/v1/articles/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("draft", (string?)article["status"]);
        Assert.Equal($"Banjir Rendam {tag}", (string?)article["title"]);
        Assert.Equal(3, article["body"]!.AsArray().Count);

        var quotes = body["proposal"]!["quotes"]!.AsArray();
        var direct = quotes.Where(q => (string?)q!["type"] == "direct").ToList();
        Assert.Equal(2, direct.Count);
        Assert.All(direct, q => Assert.Equal($"Wirawan {tag}putra", (string?)q!["speaker"]!["name"]));
        Assert.Equal("Yonhap", (string?)direct[1]!["source"]!["name"]);
        var stored = quotes.Where(q => q!["quoteId"] is not null).Select(q => (string)q!["quoteId"]!).ToList();
        Assert.Equal(stored, article["quoteIds"]!.AsArray().Select(q => (string)q!));
        Assert.Equal(3, stored.Count); // two direct, one indirect

        var after = await CountsAsync();
        Assert.Equal(before.Articles + 1, after.Articles);
        Assert.Equal(before.Quotes + 3, after.Quotes);
        Assert.Equal(before.People + 1, after.People);

        var quote = await admin.GetAsync($"/v1/quotes/{stored[0]}");
        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        var stored0 = JsonNode.Parse(await quote.Content.ReadAsStringAsync())!;
        Assert.Equal("Kepala Pelaksana BPBD Lembah Hijau", (string?)stored0["speakerRole"]);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/articles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/quotes/{stored[0]}")).StatusCode);
        var list = await reader.GetAsync($"/v1/quotes?articleId={id}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray());
    }

    [Fact]
    public async Task Commit_ReusesExistingPeopleSourcesAndIdenticalQuotes_AndTakesTheRoleHeldOnTheDate()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var person = await admin.PostAsJsonAsync("/v1/people", new
        {
            slug = $"retno-{suffix}", name = $"Retno Wulandari{suffix}", aliases = new[] { $"Wulandari{suffix}" },
            roles = new object[]
            {
                new { title = "Menteri Luar Negeri", from = "2019-10-23", to = "2024-10-20" },
                new { title = "Duta Besar untuk Belanda", from = "2012-01-01", to = "2019-10-22" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        var personId = (string)JsonNode.Parse(await person.Content.ReadAsStringAsync())!["id"]!;
        var source = await admin.PostAsJsonAsync("/v1/sources", new { slug = $"kyodo-{suffix}", name = "Kyodo", kind = "agency" });
        Assert.True(source.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);

        var story = $"""
            Indonesia mendorong gencatan senjata di Gaza dalam pertemuan di Tokyo, Rabu (6/9).
            "Kekerasan harus segera dihentikan," kata Wulandari{suffix} kepada Kyodo.
            """;
        async Task<JsonNode> ImportAsync(string date)
        {
            var response = await admin.PostAsJsonAsync("/v1/imports", new { text = story, publishedAt = date, title = $"Gaza {suffix} {date}" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var first = await ImportAsync("2023-09-06T03:00:00Z");
        var quote = QuoteStartingWith(first["proposal"]!, "Kekerasan");
        Assert.Equal(personId, (string?)quote["speaker"]!["personId"]);
        Assert.Equal("existing", (string?)quote["speaker"]!["match"]);
        Assert.Equal("Menteri Luar Negeri", (string?)quote["speakerRole"]);
        Assert.Equal("Kyodo", (string?)quote["source"]!["name"]);
        Assert.Equal("existing", (string?)quote["source"]!["match"]);

        var second = await ImportAsync("2023-09-06T03:00:00Z");
        Assert.Equal((string?)quote["quoteId"], (string?)QuoteStartingWith(second["proposal"]!, "Kekerasan")["quoteId"]);
        Assert.NotEqual((string?)first["article"]!["id"], (string?)second["article"]!["id"]);

        // On an earlier date the same speaker held another role.
        var dry = await admin.PostAsJsonAsync("/v1/imports?dryRun=true", new { text = story, publishedAt = "2015-03-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var early = QuoteStartingWith(JsonNode.Parse(await dry.Content.ReadAsStringAsync())!["proposal"]!, "Kekerasan");
        Assert.Equal("Duta Besar untuk Belanda", (string?)early["speakerRole"]);
    }

    [Fact]
    public async Task Commit_RecordsTheStatedRoleWithTheStoryDate()
    {
        var tag = "Mekarsari" + Guid.NewGuid().ToString("N")[..6];
        var response = await admin.PostAsJsonAsync("/v1/imports", new { text = FreshStory(tag), publishedAt = "2024-05-06T02:00:00Z" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var proposal = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
        var personId = (string)QuoteStartingWith(proposal, "Kami sudah")["speaker"]!["personId"]!;
        var person = await admin.GetAsync($"/v1/people/{personId}");
        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
        var roles = JsonNode.Parse(await person.Content.ReadAsStringAsync())!["roles"]!.AsArray();
        var role = Assert.Single(roles)!;
        Assert.Equal("Kepala Pelaksana BPBD Lembah Hijau", (string?)role["title"]);
        Assert.Equal("2024-05-06", (string?)role["from"]);
        Assert.Null(role["to"]);
    }

    public static TheoryData<string, byte[], string, int, string> BadInputs() => new()
    {
        { "empty", [], "text/plain", 400, "empty" },
        { "whitespace", Encoding.UTF8.GetBytes(" \n\t \n"), "text/plain", 400, "empty" },
        { "too large", Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat("Kalimat yang panjang sekali untuk mengisi cerita ini.", 4200))), "text/plain", 413, "200 KB" },
        { "invalid utf-8", [0x48, 0x61, 0xC3, 0x28, 0x20, 0xFF, 0xFE], "text/plain", 400, "UTF-8" },
        { "binary", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], "text/plain", 400, "not valid UTF-8" },
        { "binary as utf-8", Encoding.UTF8.GetBytes("ab\0\0\u0001\u0002cd"), "text/plain", 400, "not text" },
        { "script-only html", Encoding.UTF8.GetBytes("<html><head><script>alert('x')</script><style>p{}</style></head><body><script>var a=1;</script></body></html>"), "text/html", 400, "only scripts" },
        { "empty json text", Encoding.UTF8.GetBytes("{\"text\":\"   \"}"), "application/json", 400, "empty" },
        { "only leftovers", Encoding.UTF8.GetBytes("SCROLL TO CONTINUE WITH CONTENT\nADVERTISEMENT\n![]() |\n"), "text/plain", 400, "leftovers" },
        { "unsupported type", Encoding.UTF8.GetBytes("%PDF-1.4"), "application/pdf", 415, "the request had Content-Type application/pdf" },
        { "paragraph too long", Encoding.UTF8.GetBytes("Banjir Besar\nKalimat pertama.\n" + new string('a', 20_001) + "\n"), "text/plain", 400, "20001 characters" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsAProblemNamingTheIssue_AndWritesNothing(string name, byte[] bytes, string mediaType, int status, string detail)
    {
        var before = await CountsAsync();
        var response = await admin.PostAsync("/v1/imports", Bytes(bytes, mediaType));
        Assert.True(status == (int)response.StatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(((string)problem["detail"]!).Contains(detail, StringComparison.OrdinalIgnoreCase), $"{name}: {problem}");
        Assert.NotNull(problem["code"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Html_BecomesParagraphsFromBlockElements_WithoutScriptsStylesOrMarkup()
    {
        const string html = """
            <html><head><title>x</title><style>p { color: red }</style><script>track();</script></head>
            <body><h1>Harga Cabai Naik</h1>
            <p>Harga cabai di Pasar Induk naik &amp; stok menipis, <b>Senin</b> (6/5).</p>
            <script>ads();</script>
            <p>&ldquo;Pasokan dari petani berkurang karena hujan,&rdquo; kata pedagang cabai, Sutrisno Adi.</p>
            </body></html>
            """;
        var response = await admin.PostAsync("/v1/imports?dryRun=true", Text(html, "text/html"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
        Assert.Equal("Harga Cabai Naik", (string?)proposal["title"]);
        Assert.Equal(
            ["Harga cabai di Pasar Induk naik & stok menipis, Senin (6/5).", "“Pasokan dari petani berkurang karena hujan,” kata pedagang cabai, Sutrisno Adi."],
            proposal["paragraphs"]!.AsArray().Select(p => (string)p!["text"]!));
        var quote = Assert.Single(proposal["quotes"]!.AsArray())!;
        Assert.Equal("Pasokan dari petani berkurang karena hujan,", (string?)quote["text"]);
        Assert.Equal("Sutrisno Adi", (string?)quote["speaker"]!["name"]);
    }

    [Fact]
    public async Task IdempotencyKey_ReplaysTheFirstImport_AndCreatesNothingTwice()
    {
        var tag = "Cikaret" + Guid.NewGuid().ToString("N")[..6];
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PostAsync(string story)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/imports") { Content = Text(story) };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }

        var first = await PostAsync(FreshStory(tag));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await CountsAsync();
        var again = await PostAsync(FreshStory(tag));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var a = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var b = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal((string?)a["article"]!["id"], (string?)b["article"]!["id"]);
        Assert.Equal(before, await CountsAsync());

        var other = await PostAsync(FreshStory(tag + "x"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }

    [Fact]
    public async Task AStoryNearTheSizeLimit_IsReadInSeconds_AndParagraphsFullOfSpeechCuesToo()
    {
        var dev = Path.Combine(TestDatabase.RepoRoot(), "tests", "ContentApi.Tests", "Imports", "dev");
        var stories = Directory.GetFiles(dev, "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var big = new StringBuilder();
        for (var i = 0; Encoding.UTF8.GetByteCount(big.ToString()) < 190 * 1024; i++) big.Append(stories[i % stories.Count].TrimEnd('\n')).Append('\n');
        var blob = string.Concat(Enumerable.Repeat("kata Budi, \"lalu\" ujar Ani, menurut Dinas, said Kim, ", 3000));
        // The blob in lines as long as a paragraph may be (20000 characters), each full of speech cues.
        var longestLines = string.Join('\n', blob.Chunk(20_000).Select(c => new string(c)));
        foreach (var story in new[] { big.ToString(), longestLines })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await admin.PostAsync("/v1/imports?dryRun=true", Text(story));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        }
        // In one line it is no story an article can hold (BadInputs: "paragraph too long").
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/v1/imports?dryRun=true", Text(blob))).StatusCode);
    }

    [Fact]
    public async Task ALeadOfEmoji_GivesATitleCutBetweenCharacters_NotInsideOne()
    {
        // Two UTF-16 units an emoji: the proposed title's cut at 117 units would halve the 59th, which PostgreSQL refuses.
        var emoji = string.Concat(Enumerable.Repeat("😀", 200));
        var response = await admin.PostAsync("/v1/imports", Text(emoji + "\n" + emoji + "\n"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var article = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["article"]!;
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 58)) + "…", (string?)article["title"]);
        var stored = await admin.GetAsync($"/v1/articles/{(string)article["id"]!}");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal((string?)article["title"], (string?)JsonNode.Parse(await stored.Content.ReadAsStringAsync())!["title"]);
    }

    [Fact]
    public async Task AParagraphOfTheLongestLengthAnArticleTakes_IsImportedVerbatim()
    {
        var longest = "Kata " + new string('a', 20_000 - 6) + ".";
        var response = await admin.PostAsync("/v1/imports", Text($"Banjir Besar\nKalimat pertama.\n{longest}\n"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["article"]!["body"]!.AsArray();
        Assert.Equal(20_000, longest.Length);
        Assert.Equal(["Kalimat pertama.", longest], body.Select(b => (string)b!["text"]!));
    }

    [Fact]
    public async Task Import_NeedsAnEditorKey()
    {
        var response = await reader.PostAsync("/v1/imports?dryRun=true", Text("Sebuah cerita."));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdverbsAfterASpeaker_AreNotItsName_AndARoleBeforeAName_IsKeptWhole()
    {
        const string story = """
            Harga Beras Naik
            Harga beras medium naik di 12 provinsi sepanjang pekan ini.
            Bank Indonesia sebelumnya memperkirakan inflasi pangan akan kembali naik pada bulan ini.
            Menteri Perdagangan Budi Santoso juga mengatakan stok nasional cukup untuk enam bulan ke depan.
            Badan Pangan Daerah, Selasa (7/5), menyatakan operasi pasar akan digelar di lima kecamatan.
            """;
        var response = await admin.PostAsync("/v1/imports?dryRun=true", Text(story));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
        var bank = QuoteStartingWith(proposal, "inflasi pangan");
        Assert.Equal("Bank Indonesia", (string?)bank["speaker"]!["name"]);
        Assert.Equal("organization", (string?)bank["speaker"]!["kind"]);
        var minister = QuoteStartingWith(proposal, "stok nasional");
        Assert.Equal("Budi Santoso", (string?)minister["speaker"]!["name"]);
        Assert.Equal("Menteri Perdagangan", (string?)minister["speakerRole"]);
        var agency = QuoteStartingWith(proposal, "operasi pasar");
        Assert.Equal("Badan Pangan Daerah", (string?)agency["speaker"]!["name"]);
        Assert.Null(agency["speakerRole"]);
    }

    [Fact]
    public async Task UnbalancedQuotes_KeepTheParagraphVerbatim_AndWarn()
    {
        const string story = "Warga Desa Sukamaju resah.\n\"Kami takut banjir datang lagi, kata Sarmin, warga setempat.\nPemerintah belum memberi jawaban.";
        var response = await admin.PostAsync("/v1/imports?dryRun=true", Text(story));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
        Assert.Equal(story.Split('\n'), proposal["paragraphs"]!.AsArray().Select(p => (string)p!["text"]!));
        Assert.Contains(proposal["warnings"]!.AsArray(), w => (string?)w!["code"] == "unbalanced_quotes" && (int?)w["paragraph"] == 1);
    }
}
