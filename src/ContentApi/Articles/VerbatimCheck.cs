using ContentApi.Infrastructure;

namespace ContentApi.Articles;

/// <summary>
/// Whether each anchored quote of an article still occurs verbatim in its body. The stored place is tried first, then
/// the block it was in, then every text block in order; a quote block showing the quote counts as present. Quotes
/// without a stored place (linked by hand) are never checked: nothing says their text was ever in the body.
/// </summary>
public static class VerbatimCheck
{
    public const string Code = "quote_not_verbatim";

    /// <summary>The warnings, and the anchors whose text was found somewhere other than their stored place.</summary>
    public static (List<ArticleWarning> Warnings, List<QuoteAnchor> Moved) Run(IReadOnlyList<BodyBlock> body, IEnumerable<QuoteAnchor> anchors)
    {
        var warnings = new List<ArticleWarning>();
        var moved = new List<QuoteAnchor>();
        foreach (var anchor in anchors)
        {
            if (anchor.Text.Length == 0 || AtStoredPlace(body, anchor)) continue;
            if (Find(body, anchor) is { } found)
            {
                moved.Add(found);
                continue;
            }
            if (body.Any(b => b is QuoteBlock q && q.QuoteId == anchor.QuoteId)) continue;
            int? paragraph = anchor.BodyBlock < body.Count ? anchor.BodyBlock : null;
            warnings.Add(new ArticleWarning
            {
                Code = Code,
                QuoteId = anchor.QuoteId,
                Paragraph = paragraph,
                Message = $"The quote \"{Shorten(anchor.Text)}\" no longer appears verbatim in the body"
                    + (paragraph is { } p ? $"; it was in block {p}." : ".")
                    + " Correct the body or the quote, or unlink the quote.",
            });
        }
        return (warnings, moved);
    }

    private static string? TextOf(BodyBlock block) => block switch
    {
        ParagraphBlock p => p.Text,
        HeadingBlock h => h.Text,
        _ => null,
    };

    private static bool AtStoredPlace(IReadOnlyList<BodyBlock> body, QuoteAnchor a)
    {
        if (a.BodyBlock >= body.Count || TextOf(body[a.BodyBlock]) is not { } text) return false;
        var start = Utf16Index(text, a.BodyStart);
        return start >= 0 && string.CompareOrdinal(text, start, a.Text, 0, a.Text.Length) == 0 && start + a.Text.Length <= text.Length
            && CodePoints(text, start, a.Text.Length) == a.BodyEnd - a.BodyStart;
    }

    private static QuoteAnchor? Find(IReadOnlyList<BodyBlock> body, QuoteAnchor a)
    {
        var order = Enumerable.Range(0, body.Count);
        if (a.BodyBlock < body.Count) order = order.Where(i => i != a.BodyBlock).Prepend(a.BodyBlock);
        foreach (var i in order)
        {
            if (TextOf(body[i]) is not { } text) continue;
            var at = text.IndexOf(a.Text, StringComparison.Ordinal);
            if (at < 0) continue;
            var start = CodePoints(text, 0, at);
            return a with { BodyBlock = i, BodyStart = start, BodyEnd = start + CodePoints(text, at, a.Text.Length) };
        }
        return null;
    }

    /// <summary>The UTF-16 index of the <paramref name="codePoint"/>-th code point, or -1 past the end.</summary>
    private static int Utf16Index(string text, int codePoint)
    {
        var i = 0;
        for (var n = 0; n < codePoint; n++)
        {
            if (i >= text.Length) return -1;
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        }
        return i <= text.Length ? i : -1;
    }

    private static int CodePoints(string text, int start, int length)
    {
        var n = 0;
        for (var i = start; i < start + length; i += char.IsSurrogatePair(text, i) ? 2 : 1) n++;
        return n;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : TextCut.Prefix(text, 77).TrimEnd() + "…";
}
