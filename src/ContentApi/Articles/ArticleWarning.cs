namespace ContentApi.Articles;

/// <summary>
/// Something an editor should look at in an article. Editors only: on a GET of one article and in the answer of a
/// write; never on readers' answers, never in revisions or webhooks.
/// </summary>
public sealed record ArticleWarning
{
    /// <summary>Stable code: quote_not_verbatim (a linked quote's text no longer occurs, character for character, in the body).</summary>
    /// <example>quote_not_verbatim</example>
    public required string Code { get; init; }
    /// <summary>What is wrong, for people.</summary>
    /// <example>The quote "Tidak, saya tidak bisa. Tidak ada yang perlu dikatakan." no longer appears verbatim in the body; it was in block 4.</example>
    public required string Message { get; init; }
    /// <summary>The quote concerned.</summary>
    public required Guid QuoteId { get; init; }
    /// <summary>The body block where the quote last stood, when that block still exists.</summary>
    /// <example>4</example>
    public int? Paragraph { get; init; }
}
