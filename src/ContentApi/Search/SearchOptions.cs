namespace ContentApi.Search;

/// <summary>Ranked search, configuration section "Search".</summary>
public sealed class SearchOptions
{
    /// <summary>
    /// How many of a list's newest rows the ranked window is looked for in first. Tests lower it, so that a small
    /// database takes the paths a large archive takes.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(16, 1 << 20)]
    public int WindowFirstSpan { get; set; } = RankedWindow.FirstSpan;
}
