namespace ContentApi.Tests.Quotes;

/// <summary>Quote bodies the quote tests send, and a text that must survive byte for byte.</summary>
internal static class QuoteTestData
{
    public const string Verbatim = "\"Mereka akan menanggung konsekuensinya,\" ujar Sullivan — it's \\ 'final' 김정은 🇰🇵 e\u0301";

    public static object Quote(Guid speakerId, string text = "Mereka akan menanggung konsekuensinya di komunitas internasional",
        string language = "id", string type = "direct", Guid? sourceId = null, string? saidOn = "2023-09-06",
        string? speakerRole = "Penasihat Keamanan Nasional AS", string? occasion = "kepada wartawan di Gedung Putih",
        string? sourceUrl = "https://www.afp.com/story", Guid? translationOfId = null, Guid[]? articleIds = null) => new
        {
            text,
            language,
            type,
            speakerId,
            speakerRole,
            saidOn,
            occasion,
            sourceId,
            sourceUrl,
            translationOfId,
            articleIds = articleIds ?? [],
        };
}
