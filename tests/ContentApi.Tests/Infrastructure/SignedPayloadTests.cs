using System.Net;
using ContentApi.Infrastructure;
using ContentApi.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// A cursor or sync token signed with the server's own secret but holding a malformed payload (as a leaked or old
/// secret would let anyone write) is a 400 naming the parameter, never a 500 or a replay of the feed from the start.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SignedPayloadTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private CursorCodec Codec => factory.Services.GetRequiredService<CursorCodec>();

    public static TheoryData<string, string, string?, string?> MalformedCursors() => new()
    {
        { "/v1/articles", "articles:-publishedAt", "banana", null },
        { "/v1/articles", "articles:-publishedAt", null, null },
        { "/v1/articles", "articles:-updatedAt", "2026-13-45T99:00:00Z", null },
        { "/v1/articles?q=senjata", "articles:rank", "not-a-rank", null },
        { "/v1/articles?q=senjata", "articles:rank", "NaN", null },
        { "/v1/articles?q=senjata", "articles:rank", "0.5", "yesterday'; drop table articles" },
        { "/v1/quotes?q=senjata", "quotes:rank", "x", null },
        { "/v1/quotes", "quotes", "2026-01-01", null },
        { "/v1/people", "people", null, null },
        { "/v1/sources", "sources", null, null },
    };

    [Theory]
    [MemberData(nameof(MalformedCursors))]
    public async Task SignedCursor_WithAMalformedPayload_IsA400NamingTheCursor(string url, string list, string? key, string? windowKey)
    {
        var cursor = Codec.Encode(new Keyset(list, key, Guid.NewGuid(), windowKey, windowKey is null ? null : Guid.NewGuid()));
        var response = await admin.GetAsync($"{url}{(url.Contains('?') ? '&' : '?')}cursor={TestData.Q(cursor)}");
        await response.ValidationProblem("cursor");
    }

    [Fact]
    public async Task SignedCursor_WellFormed_IsServed()
    {
        // The positive control: the same forging path with keys of the right kinds is a 200.
        var cursor = Codec.Encode(new Keyset("articles:-publishedAt", DateTime.UtcNow.ToString("O"), Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/articles?cursor={TestData.Q(cursor)}")).StatusCode);
        var ranked = Codec.Encode(new Keyset("articles:rank", "0.5", Guid.NewGuid(), "2026-12-06 02:50:23.123456+00", Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/articles?q=senjata&cursor={TestData.Q(ranked)}")).StatusCode);
        // An editor's window may end at an undated draft, whose sort key PostgreSQL writes as -infinity.
        var draftEdge = Codec.Encode(new Keyset("articles:rank", "0.5", Guid.NewGuid(), "-infinity", Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/articles?q=senjata&cursor={TestData.Q(draftEdge)}")).StatusCode);
        var token = Codec.Encode(new SyncPosition("1", 0, DateTime.UtcNow));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/sync?since={TestData.Q(token)}")).StatusCode);
    }

    public static TheoryData<string, long, int> MalformedTokens() => new()
    {
        { "banana", 0, 0 },
        { "", 0, 0 },
        { "-1", 0, 0 },
        { "99999999999999999999999", 0, 0 },
        { "1", -5, 0 },
        { "1", 0, 30 }, // a release time a month ahead of the server: every release in between would be skipped
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task SignedSyncToken_WithANonsensePosition_IsA400(string tx, long seq, int daysAhead)
    {
        var token = Codec.Encode(new SyncPosition(tx, seq, DateTime.UtcNow.AddDays(daysAhead)));
        var response = await admin.GetAsync($"/v1/sync?since={TestData.Q(token)}");
        await response.ValidationProblem("since");
    }
}
