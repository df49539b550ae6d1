using ContentApi.Search;
using Dapper;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The own-language conditions and ranks take the two common language tags as they are; for every tag they must still
/// be what the row's tsvector was built with (content_regconfig, the generated column's function).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FullTextTests(ContentApiFactory factory)
{
    // Only English stems "governments" and "threatened"; only Indonesian takes "membangun" to 'bangun'.
    [Theory]
    [InlineData("The governments threatened sanctions", "government threaten", new[] { "en", "En", "en-GB", "EN-us" })]
    [InlineData("Pemerintah membangun jembatan", "bangun", new[] { "id", "ID", "id-ID" })]
    public async Task OwnLanguage_AndRanks_UseTheConfigurationTheRowWasIndexedWith_ForEveryTag(string text, string q, string[] matching)
    {
        string[] tags = ["id", "en", "ID", "En", "en-GB", "EN-us", "id-ID", "ms", "zh-Hant-TW", "eng", "ind"];
        var sql = $"""
            select a.language as Tag,
              a.search @@ websearch_to_tsquery(content_regconfig(a.language), @Q) as ExpectedMatch, {FullText.OwnLanguage("a")} as OwnMatch,
              ts_rank(a.search, websearch_to_tsquery(content_regconfig(a.language), @Q)) as ExpectedRank, {FullText.Rank("a")} as Rank,
              {FullText.RankOnPage("a")} as RankOnPage
            from (select l as language, setweight(to_tsvector(content_regconfig(l), @Text), 'A') as search from unnest(@Tags) l) a
            """;
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        var rows = (await conn.QueryAsync<(string Tag, bool ExpectedMatch, bool OwnMatch, float ExpectedRank, float Rank, float? RankOnPage)>(
            sql, new { Q = q, Text = text, Tags = tags })).ToList();

        Assert.Equal(tags.Length, rows.Count);
        Assert.Equal(matching, rows.Where(r => r.ExpectedMatch).Select(r => r.Tag));
        Assert.All(rows, r =>
        {
            Assert.Equal(r.ExpectedMatch, r.OwnMatch);
            Assert.Equal(r.ExpectedRank, r.Rank);
            Assert.Equal(r.ExpectedMatch ? r.ExpectedRank : null, r.RankOnPage);
        });
    }
}
