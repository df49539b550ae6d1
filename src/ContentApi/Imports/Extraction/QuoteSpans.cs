namespace ContentApi.Imports.Extraction;

/// <summary>
/// A double-quoted stretch of a paragraph: <see cref="Start"/>..<see cref="End"/> is the text inside the marks;
/// <see cref="Open"/>/<see cref="Close"/> are the marks' indexes, -1 when missing (a quote running on from the
/// previous paragraph, or one still open at the paragraph's end).
/// </summary>
public sealed record QuoteSpan(int Open, int Start, int End, int Close)
{
    public bool Unclosed => Close < 0;
    public bool NoOpen => Open < 0;
    public int From => Open < 0 ? Start : Open;
    public int To => Close < 0 ? End : Close + 1;
}

/// <summary>Finds the double-quoted stretches of a paragraph: straight and curly marks, mixed, or one missing.</summary>
public static class QuoteSpans
{
    public static bool IsMark(char c) => c is '"' or '“' or '”' or '„' or '«' or '»';

    /// <summary>
    /// The spans, in order. <paramref name="runningOn"/>: the previous paragraph ended inside a quote, so a paragraph
    /// whose first mark closes continues it from its first character. <paramref name="unbalanced"/> tells whether the
    /// marks did not pair up (beyond the two-paragraph convention).
    /// </summary>
    public static List<QuoteSpan> Find(string text, bool runningOn, out bool unbalanced)
    {
        var spans = new List<QuoteSpan>();
        unbalanced = false;
        var marks = new List<int>();
        for (var i = 0; i < text.Length; i++)
            if (IsMark(text[i])) marks.Add(i);
        var k = 0;
        var firstNonSpace = 0;
        while (firstNonSpace < text.Length && char.IsWhiteSpace(text[firstNonSpace])) firstNonSpace++;
        if (marks.Count > 0 && marks[0] != firstNonSpace && LooksClosing(text, marks[0]) && (runningOn || marks.Count % 2 == 1))
        {
            // A continuation paragraph that does not reopen its quote: the quote runs from its first character.
            spans.Add(new QuoteSpan(-1, firstNonSpace, marks[0], marks[0]));
            if (!runningOn) unbalanced = true;
            k = 1;
        }
        var open = -1;
        for (; k < marks.Count; k++)
        {
            var i = marks[k];
            if (open < 0)
            {
                open = i;
                continue;
            }
            if (text[i] is '“' or '„' or '«' && LooksOpening(text, i) && !LooksClosing(text, i))
            {
                // Two openings in a row: the first quote lost its closing mark. Keep its words up to here.
                var end = i;
                while (end > open + 1 && char.IsWhiteSpace(text[end - 1])) end--;
                spans.Add(new QuoteSpan(open, open + 1, end, -1));
                unbalanced = true;
                open = i;
                continue;
            }
            spans.Add(new QuoteSpan(open, open + 1, i, i));
            open = -1;
        }
        if (open >= 0)
        {
            var end = text.Length;
            while (end > open + 1 && char.IsWhiteSpace(text[end - 1])) end--;
            if (end > open + 1) spans.Add(new QuoteSpan(open, open + 1, end, -1));
        }
        return spans;
    }

    private static bool LooksClosing(string text, int i) =>
        i > 0 && !char.IsWhiteSpace(text[i - 1]) && (i + 1 >= text.Length || !char.IsLetterOrDigit(text[i + 1]));

    private static bool LooksOpening(string text, int i) =>
        (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] is '(' or '[' or ':') && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);

    /// <summary>The paragraph with every quoted character replaced by '_' (marks kept), for matching the narrative.</summary>
    public static string Mask(string text, IReadOnlyList<QuoteSpan> spans)
    {
        var chars = text.ToCharArray();
        foreach (var s in spans)
            for (var i = s.Start; i < s.End; i++)
                chars[i] = '_';
        return new string(chars);
    }
}
