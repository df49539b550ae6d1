using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Imports;

/// <summary>English organisations named with lowercase linking words speak under their whole name, through HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportOrganisationNameTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    [Fact]
    public async Task OrganisationNamesWithOfForAnd_AreOneSpeaker_NotALastWordWithARole()
    {
        const string story = """
            Markets steady after rate decisions
            The Bank of England said inflation was falling faster than it had expected.
            On Friday, the Ministry of Finance said the yen's slide had gone too far.
            "Exports are recovering," the Ministry of Trade and Industry said.
            The University of Indonesia said in a statement that its forecast would be published next month.
            The Office for National Statistics said wages rose faster than prices in the spring.
            Secretary of State Antony Blinken said the talks would resume next week.
            Bank Indonesia said inflation would stay within its target range this year.
            """;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(story));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        var response = await admin.PostAsync("/v1/imports?dryRun=true", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var quotes = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["proposal"]!["quotes"]!.AsArray();
        JsonNode Quote(string start) => quotes.First(q => ((string)q!["text"]!).StartsWith(start, StringComparison.Ordinal))!;

        foreach (var (start, name) in new[]
        {
            ("inflation was falling", "Bank of England"), ("the yen's slide", "Ministry of Finance"), ("Exports are", "Ministry of Trade and Industry"),
            ("its forecast", "University of Indonesia"), ("wages rose", "Office for National Statistics"), ("inflation would stay", "Bank Indonesia"),
        })
        {
            var quote = Quote(start);
            Assert.Equal(name, (string?)quote["speaker"]!["name"]);
            Assert.Equal("organization", (string?)quote["speaker"]!["kind"]);
            Assert.Null(quote["speakerRole"]);
        }
        // A role joined by "of" before a person's name stays a role.
        var blinken = Quote("the talks");
        Assert.Equal("Antony Blinken", (string?)blinken["speaker"]!["name"]);
        Assert.Equal("Secretary of State", (string?)blinken["speakerRole"]);
    }
}
