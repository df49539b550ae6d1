using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Imports.Extraction;

namespace ContentApi.Tests.Imports;

/// <summary>
/// A stored quote's saidOn is the day its attribution says it was said ("Senin (6/5)", "kemarin", "on May 6", "last
/// Tuesday"), else the story's date; the role a quote takes from its speaker's roles over time is the one held that day.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ImportSaidOnTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    // A Tuesday: "Senin" is the day before, "Selasa lalu" a week before, "20 Desember" last year's.
    private const string StoryDate = "2024-05-14T03:00:00Z";

    private static string Tag() => "Q" + string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + c % 16)));

    private async Task<JsonNode> CommitAsync(string story, string title)
    {
        var response = await admin.PostAsJsonAsync("/v1/imports", new { text = story, publishedAt = StoryDate, title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!;
    }

    /// <summary>The stored quote (GET /v1/quotes/{id}) of the proposal's quote starting with these words.</summary>
    private async Task<JsonNode> StoredAsync(JsonNode proposal, string start)
    {
        var quote = proposal["quotes"]!.AsArray().First(q => ((string)q!["text"]!).StartsWith(start, StringComparison.Ordinal))!;
        var id = (string?)quote["quoteId"];
        Assert.NotNull(id);
        var response = await admin.GetAsync($"/v1/quotes/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task AssertSaidOnAsync(JsonNode proposal, string start, string saidOn) =>
        Assert.Equal(saidOn, (string?)(await StoredAsync(proposal, start))["saidOn"]);

    [Fact]
    public async Task Indonesian_TheDayTheAttributionStates_IsTheQuotesSaidOn()
    {
        var tag = Tag();
        var story = $"""
            Jembatan gantung di Desa {tag} ambruk diterjang banjir dan memutus akses ratusan warga.
            "Kami sudah memasang tanda larangan melintas," kata Kepala Desa Wirawan Kusuma{tag}, Senin (6/5).
            Sari Handayani{tag}, Camat Lembah Hijau, kemarin mengatakan bahwa perbaikan jembatan akan dimulai bulan depan.
            "Anggarannya sudah kami ajukan ke kabupaten," ujar Sari pada Selasa lalu.
            "Warga bergotong royong membangun jembatan darurat," kata Wirawan pada 2 Mei 2024.
            "Jembatan itu terakhir diperbaiki sebelum musim hujan," kata Wirawan pada 20 Desember.
            "Kami menunggu bantuan dari provinsi," tutur Sari pada Senin.
            "Kami minta warga bersabar," ujar Sari pekan lalu.
            "Air sungai masih tinggi," kata Wirawan.
            """;
        var proposal = await CommitAsync(story, $"Jembatan {tag} Ambruk");
        await AssertSaidOnAsync(proposal, "Kami sudah memasang", "2024-05-06");
        await AssertSaidOnAsync(proposal, "perbaikan jembatan", "2024-05-13");
        await AssertSaidOnAsync(proposal, "Anggarannya", "2024-05-07");
        await AssertSaidOnAsync(proposal, "Warga bergotong", "2024-05-02");
        await AssertSaidOnAsync(proposal, "Jembatan itu terakhir", "2023-12-20");
        await AssertSaidOnAsync(proposal, "Kami menunggu", "2024-05-13");
        // A week-level phrase names no day, and a cue without any keeps the story's date.
        await AssertSaidOnAsync(proposal, "Kami minta", "2024-05-14");
        await AssertSaidOnAsync(proposal, "Air sungai", "2024-05-14");
    }

    [Fact]
    public async Task English_TheDayTheAttributionStates_IsTheQuotesSaidOn()
    {
        var tag = Tag();
        var story = $"""
            The harbour at {tag} reopened to shipping after a week of storms that closed the coast.
            "We cleared the channel overnight," harbour master Ellen Ward{tag} said on Monday.
            "Ships can dock again," Ward said on May 6.
            Mayor Tom Briggs{tag} said on Friday that the repairs would cost two million pounds.
            "The town owes the crews a debt," Briggs said last Tuesday.
            "Nobody was hurt," Ward told reporters yesterday.
            "We will rebuild the pier," Briggs said last week.
            "The fishing fleet is back," Ward said.
            """;
        var proposal = await CommitAsync(story, $"Harbour {tag} Reopens");
        await AssertSaidOnAsync(proposal, "We cleared", "2024-05-13");
        await AssertSaidOnAsync(proposal, "Ships can dock", "2024-05-06");
        await AssertSaidOnAsync(proposal, "the repairs would cost", "2024-05-10");
        await AssertSaidOnAsync(proposal, "The town owes", "2024-05-07");
        await AssertSaidOnAsync(proposal, "Nobody was hurt", "2024-05-13");
        await AssertSaidOnAsync(proposal, "We will rebuild", "2024-05-14");
        await AssertSaidOnAsync(proposal, "The fishing fleet", "2024-05-14");
    }

    [Fact]
    public async Task AStoryWithoutAnyDayCue_KeepsTheStoryDate()
    {
        var tag = Tag();
        var story = $"""
            Harga cabai di Pasar {tag} naik dua kali lipat menjelang hari raya.
            "Pasokan dari petani berkurang karena hujan," kata pedagang Murni Lestari{tag}.
            Murni mengatakan bahwa pembeli mulai mengurangi belanja mereka.
            """;
        var proposal = await CommitAsync(story, $"Cabai {tag} Naik");
        await AssertSaidOnAsync(proposal, "Pasokan dari petani", "2024-05-14");
        await AssertSaidOnAsync(proposal, "pembeli mulai", "2024-05-14");
    }

    [Fact]
    public async Task TheRoleTakenFromRolesOverTime_IsTheOneHeldOnSaidOn()
    {
        var tag = Tag();
        var person = await admin.PostAsJsonAsync("/v1/people", new
        {
            slug = $"hartono-{tag.ToLowerInvariant()}", name = $"Budi Hartono{tag}", aliases = new[] { $"Hartono{tag}" },
            roles = new object[]
            {
                new { title = "Kepala Dinas Pekerjaan Umum", from = "2020-01-01", to = "2024-05-09" },
                new { title = "Sekretaris Daerah", from = "2024-05-10" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        var story = $"""
            Perbaikan jalan lingkar {tag} belum selesai meski musim hujan sudah dekat.
            "Perbaikan itu butuh dua bulan lagi," kata Hartono{tag} pada 6 Mei.
            "Dananya sudah cair," kata Hartono{tag}.
            """;

        var dry = await admin.PostAsJsonAsync("/v1/imports?dryRun=true", new { text = story, publishedAt = StoryDate, title = $"Jalan {tag}" });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var dryProposal = JsonNode.Parse(await dry.Content.ReadAsStringAsync())!["proposal"]!;
        string? RoleOf(JsonNode proposal, string start) =>
            (string?)proposal["quotes"]!.AsArray().First(q => ((string)q!["text"]!).StartsWith(start, StringComparison.Ordinal))!["speakerRole"];
        Assert.Equal("Kepala Dinas Pekerjaan Umum", RoleOf(dryProposal, "Perbaikan itu"));
        Assert.Equal("Sekretaris Daerah", RoleOf(dryProposal, "Dananya"));

        var proposal = await CommitAsync(story, $"Jalan {tag}");
        var early = await StoredAsync(proposal, "Perbaikan itu");
        Assert.Equal("2024-05-06", (string?)early["saidOn"]);
        Assert.Equal("Kepala Dinas Pekerjaan Umum", (string?)early["speakerRole"]);
        var late = await StoredAsync(proposal, "Dananya");
        Assert.Equal("2024-05-14", (string?)late["saidOn"]);
        Assert.Equal("Sekretaris Daerah", (string?)late["speakerRole"]);
    }

    [Theory]
    [InlineData("kata Budi, Minggu lalu.", null)]
    [InlineData("kata Budi pada Minggu lalu.", "2024-05-12")]
    [InlineData("kata Budi, Jumat (3/5/2024).", "2024-05-03")]
    [InlineData("kata Budi, yang dilantik pada 1 Mei.", null)]
    [InlineData("kata Budi, Senin depan.", null)]
    [InlineData("kata Budi kemarin lusa.", "2024-05-12")]
    [InlineData("Budi said on Tuesday.", "2024-05-14")]
    [InlineData("Budi said on December 30, 2023.", "2023-12-30")]
    [InlineData("Budi said on 31 May.", "2023-05-31")]
    [InlineData("Budi said on May 30, 2025.", null)]
    [InlineData("kata Budi, Jumat (3/5/0000).", null)]
    [InlineData("kata Budi, Kamis (31/4).", null)]
    [InlineData("kata Budi pada 29 Februari.", "2024-02-29")]
    public void SaidDate_ResolvesAgainstTheStoryDate(string attribution, string? expected)
    {
        var storyDate = new DateOnly(2024, 5, 14);
        var when = SaidDate.Find(attribution);
        var resolved = when is null ? null : SaidDate.Resolve(when, storyDate);
        Assert.Equal(expected, resolved?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}
