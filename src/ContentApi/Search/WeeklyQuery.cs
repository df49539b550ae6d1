using System.Data;

namespace ContentApi.Search;

/// <summary>
/// A tsquery as PostgreSQL prints it, rewritten for one week of the weekly index (migration 0003): each lexeme gets the
/// week's prefix ('bank' → '2895/bank'). That index has no positions or weights, so phrase operators become AND and
/// weights are dropped: such a query only finds candidates (<see cref="Exact"/> is false) for the full condition to
/// check. Negations are not rewritten (<see cref="Parse"/> gives null): "not x in week w" matches every other week's
/// rows, so the index would read all its entries.
/// </summary>
public sealed class WeeklyQuery
{
    private readonly List<(string Text, bool Lexeme)> parts;

    private WeeklyQuery(List<(string, bool)> parts, bool exact) => (this.parts, Exact) = (parts, exact);

    /// <summary>True when a row of the week matches exactly when its full tsvector matches the original query.</summary>
    public bool Exact { get; }

    public string For(int week) => string.Concat(parts.Select(p => p.Lexeme ? $"'{week}/{p.Text}'" : p.Text));

    /// <summary>The same rewrite without a week, for the plain search index: the query's candidates, phrases as AND.</summary>
    public string Plain => string.Concat(parts.Select(p => p.Lexeme ? $"'{p.Text}'" : p.Text));

    /// <summary>
    /// The query of any of the languages (<see cref="FullText.EachLanguageQueryText"/>), each distinct one once: a name,
    /// or a word all three stem alike, is one query where the three ORed repeat it, and the weekly index, read once
    /// per week, then looks each lexeme up once.
    /// </summary>
    public static WeeklyQuery? OfLanguages(string[]? queries) =>
        queries is null ? null : Parse(string.Join(" | ", queries.Where(q => q.Length > 0).Distinct().Select(q => $"( {q} )")));

    public static WeeklyQuery? Parse(string? query)
    {
        if (string.IsNullOrEmpty(query)) return null;
        var parts = new List<(string, bool)>();
        var exact = true;
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (c == '!') return null;
            if (c == '<') // <-> or <N>: followed by
            {
                var end = query.IndexOf('>', i);
                if (end < 0) return null;
                parts.Add(("&", false));
                exact = false;
                i = end + 1;
            }
            else if (c == '\'')
            {
                // A quoted lexeme: '' is a quote and \ escapes the next character; both stay as printed.
                var start = ++i;
                while (true)
                {
                    if (i >= query.Length) return null;
                    if (query[i] == '\\' && i + 1 < query.Length) i += 2;
                    else if (query[i] == '\'' && i + 1 < query.Length && query[i + 1] == '\'') i += 2;
                    else if (query[i] == '\'') break;
                    else i++;
                }
                parts.Add((query[start..i], true));
                i++;
                if (i < query.Length && query[i] == ':') // weights and prefix match: the prefix is kept
                {
                    var prefix = false;
                    for (i++; i < query.Length && "ABCDabcd*".Contains(query[i]); i++)
                        if (query[i] == '*') prefix = true;
                        else exact = false;
                    if (prefix) parts.Add((":*", false));
                }
            }
            else
            {
                parts.Add((c.ToString(), false));
                i++;
            }
        }
        return parts.Exists(p => p.Item2) ? new WeeklyQuery(parts, exact) : null;
    }
}
