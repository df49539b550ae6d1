namespace ContentApi.Quotes;

/// <summary>Something an editor should look at after changing a quote: in the answer of the write only.</summary>
public sealed record QuoteWarning
{
    /// <summary>Stable code: quote_not_verbatim (the quote's new text no longer occurs verbatim in an article that used it).</summary>
    /// <example>quote_not_verbatim</example>
    public required string Code { get; init; }
    /// <summary>What is wrong, for people.</summary>
    /// <example>The quote "Tidak, saya tidak bisa." no longer appears verbatim in the body; it was in block 4.</example>
    public required string Message { get; init; }
    /// <summary>The article whose body no longer holds the quote's text.</summary>
    public required Guid ArticleId { get; init; }
    /// <summary>The body block where the quote last stood, when that block still exists.</summary>
    /// <example>4</example>
    public int? Paragraph { get; init; }
}
