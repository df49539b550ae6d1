using ContentApi.Imports;
using ContentApi.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Imports;

/// <summary>
/// An import looks for the speaker's quote with the same words before it adds one. A prolific speaker has thousands of
/// quotes: the lookup must go straight to the matching ones (quotes_speaker_text), not read every quote of the speaker,
/// and still find only the exact words.
/// </summary>
public sealed class SameQuoteLookupTests : IAsyncLifetime
{
    private readonly string connectionString = TestDatabase.CreateConnectionString("contentapi_samequote");

    public Task InitializeAsync() => Database.MigrateAsync(connectionString, NullLogger.Instance);

    public Task DisposeAsync() => TestDatabase.DropAsync(connectionString);

    [Fact]
    public async Task TheSameWordsOfAProlificSpeaker_AreFoundThroughTheIndex_ReadingOnlyTheMatch()
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var speaker = Guid.NewGuid();
        await conn.ExecuteAsync("insert into people (id, slug, name) values (@speaker, 'prolific', 'Prabowo Subianto')", new { speaker });
        // 3,000 quotes of one speaker, then the one the import is about, then one that differs only in case.
        await conn.ExecuteAsync("""
            insert into quotes (id, text, language, type, speaker_id)
            select gen_random_uuid(), 'Kami akan terus bekerja untuk rakyat, hari ke-' || g || '.', 'id', 'direct', @speaker
            from generate_series(1, 3000) g;
            insert into quotes (id, text, language, type, speaker_id) values
              ('00000000-0000-7000-8000-000000000001', 'Swasembada pangan bukan mimpi. 🌾', 'id', 'direct', @speaker),
              ('00000000-0000-7000-8000-000000000002', 'swasembada pangan bukan mimpi. 🌾', 'id', 'direct', @speaker);
            analyze quotes;
            """, new { speaker });

        var found = await conn.QueryAsync<Guid>(ImportRepository.SameQuote, new { SpeakerId = speaker, Text = "Swasembada pangan bukan mimpi. 🌾" });
        Assert.Equal([Guid.Parse("00000000-0000-7000-8000-000000000001")], found);
        Assert.Empty(await conn.QueryAsync<Guid>(ImportRepository.SameQuote, new { SpeakerId = speaker, Text = "Swasembada pangan bukan mimpi." }));

        var plan = await conn.QuerySingleAsync<string>("explain (analyze, format json) " + ImportRepository.SameQuote,
            new { SpeakerId = speaker, Text = "Swasembada pangan bukan mimpi. 🌾" });
        Assert.Contains("\"Index Name\": \"quotes_speaker_text\"", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Rows Removed by Filter\": 3", plan, StringComparison.Ordinal);
    }
}
