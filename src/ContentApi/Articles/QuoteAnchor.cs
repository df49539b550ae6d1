namespace ContentApi.Articles;

/// <summary>Where a linked quote's text stood in its article's body (block, code-point offsets), with the quote's current text.</summary>
public sealed record QuoteAnchor
{
    public Guid QuoteId { get; init; }
    public string Text { get; init; } = "";
    public int BodyBlock { get; init; }
    public int BodyStart { get; init; }
    public int BodyEnd { get; init; }
}
