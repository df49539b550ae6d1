using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Imports;

/// <summary>How an import's speakers find stored people: exact name, alias, or a similar spelling of the full name.</summary>
[Collection(ApiCollection.Name)]
public sealed class PersonMatchTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    private async Task<JsonNode> SpeakerOf(string name, string tag)
    {
        var response = await admin.PostAsJsonAsync("/v1/imports?dryRun=true", new
        {
            text = $"""
                Rapat Desa {tag}
                Rapat desa berlangsung hingga malam, Selasa (7/5).
                "Kami akan memperbaiki jalan desa tahun ini," kata {name}.
                """,
        });
        var body = await response.Json();
        return body["proposal"]!["quotes"]!.AsArray().Single(q => (string?)q!["type"] == "direct")!["speaker"]!;
    }

    [Fact]
    public async Task AFullNameSpelledSlightlyOff_FindsThePerson_WithLessThanFullConfidence()
    {
        var tag = DeliveryTestKit.Marker("")[..6];
        var person = await admin.CreatePerson($"Wirasena Kartodirjo{tag}");

        var typo = await SpeakerOf($"Wirasena Kartodirja{tag}", tag);
        Assert.Equal("existing", (string?)typo["match"]);
        Assert.Equal(person.Id().ToString(), (string?)typo["personId"]);
        Assert.InRange((double)typo["confidence"]!, 0.6, 0.99);

        var exact = await SpeakerOf($"Wirasena Kartodirjo{tag}", tag);
        Assert.Equal(person.Id().ToString(), (string?)exact["personId"]);
        Assert.True((double)exact["confidence"]! == 1.0, exact.ToJsonString());

        // A different person who only shares the first name is not taken for them.
        var other = await SpeakerOf($"Wirasena Hadiningrat{tag}", tag);
        Assert.Equal("new", (string?)other["match"]);
    }
}
