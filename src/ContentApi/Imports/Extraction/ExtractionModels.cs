namespace ContentApi.Imports.Extraction;

/// <summary>A body block the story became: "paragraph" or "heading", its text verbatim.</summary>
public sealed record StoryBlock(string Type, string Text);

/// <summary>Something an editor should check: a dropped leftover line, a proposed title, an unnamed speaker...</summary>
public sealed record StoryWarning(string Code, string Message, int? Paragraph = null);

/// <summary>A person or organisation the story names (or describes, when unnamed).</summary>
public sealed class StoryEntity
{
    public required string Name { get; set; }
    public List<string> Aliases { get; } = [];
    public string? Role { get; set; }
    public bool IsOrganization { get; set; }
    public bool Unnamed { get; init; }
    /// <summary>Order of the last mention, for "the most recent person with that surname".</summary>
    public int LastSeen { get; set; }
    /// <summary>Whether any quote is attributed to it (speakers are linked as subjects, others as mentioned).</summary>
    public bool Speaks { get; set; }

    public IEnumerable<string> Names => Aliases.Prepend(Name);

    public void AddAlias(string alias)
    {
        if (!string.Equals(alias, Name, StringComparison.OrdinalIgnoreCase) && !Aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
            Aliases.Add(alias);
    }
}

/// <summary>
/// One quote found in the story. Offsets are UTF-16 indexes into the block's text (the service converts them to code
/// points); <see cref="Block"/> is null for a quote in the title line.
/// </summary>
public sealed record ExtractedQuote
{
    public required string Text { get; init; }
    /// <summary>direct, partial (a phrase quoted inside reported speech) or indirect.</summary>
    public required string Type { get; init; }
    public int? Block { get; init; }
    public int Start { get; init; }
    public int End { get; init; }
    public string? Cue { get; set; }
    public StoryEntity? Speaker { get; set; }
    public string? SpeakerRole { get; set; }
    public string? Source { get; set; }
    /// <summary>Where the source came from: the quote's own cue (it carries on to the same speaker's next words) or a frame.</summary>
    public bool OwnSource { get; set; }
    public string? Occasion { get; set; }
    /// <summary>When the attribution says it was said ("Senin (6/5)", "yesterday"), as written; null when it does not say.</summary>
    public string? When { get; set; }
    public bool Unattributed { get; set; }
}

/// <summary>What the extractor made of a story.</summary>
public sealed record StoryExtraction(
    string Language,
    string Title,
    bool TitleFromStory,
    IReadOnlyList<StoryBlock> Blocks,
    IReadOnlyList<ExtractedQuote> Quotes,
    IReadOnlyList<StoryEntity> Entities,
    IReadOnlyList<string> Sources,
    IReadOnlyList<StoryWarning> Warnings);
