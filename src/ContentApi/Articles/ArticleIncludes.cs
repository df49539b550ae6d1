using ContentApi.Infrastructure;

namespace ContentApi.Articles;

/// <summary>What include= embeds in an article, parsed once at the edge; the include names are spelled only here.</summary>
public readonly record struct ArticleIncludes
{
    [Flags]
    private enum Part { None = 0, Quotes = 1, QuoteSpeakers = 2, QuoteSources = 4, People = 8, Sources = 16 }

    private static readonly Dictionary<string, Part> ByName = new(StringComparer.Ordinal)
    {
        ["quotes"] = Part.Quotes,
        ["quotes.speaker"] = Part.Quotes | Part.QuoteSpeakers,
        ["quotes.source"] = Part.Quotes | Part.QuoteSources,
        ["people"] = Part.People,
        ["sources"] = Part.Sources,
    };

    private static readonly IReadOnlySet<string> Allowed = ByName.Keys.ToHashSet(StringComparer.Ordinal);

    private readonly Part parts;

    private ArticleIncludes(Part parts) => this.parts = parts;

    public static readonly ArticleIncludes None = default;

    public bool Quotes => parts.HasFlag(Part.Quotes);
    public bool QuoteSpeakers => parts.HasFlag(Part.QuoteSpeakers);
    public bool QuoteSources => parts.HasFlag(Part.QuoteSources);
    public bool People => parts.HasFlag(Part.People);
    public bool Sources => parts.HasFlag(Part.Sources);

    /// <summary>People are read for the article's links or for its quotes' speakers; sources likewise.</summary>
    public bool ReadsPeople => People || QuoteSpeakers;
    public bool ReadsSources => Sources || QuoteSources;

    /// <summary>Whether anything is embedded at all.</summary>
    public bool Any => parts != Part.None;

    /// <summary>A small number per combination (0 to 31), for tables of prepared SQL.</summary>
    public int Ordinal => (int)parts;
    public const int Combinations = 32;

    public static bool TryParse(string? include, out ArticleIncludes result, out string? error)
    {
        result = None;
        if (!Includes.TryParse(include, Allowed, out var names, out error))
            return false;
        result = new ArticleIncludes(names.Aggregate(Part.None, (all, name) => all | ByName.GetValueOrDefault(name)));
        return true;
    }
}
