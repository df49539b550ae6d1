using ContentApi.Articles;

namespace ContentApi.Imports;

/// <summary>Whether a proposed person or source is one already stored or one the import creates.</summary>
public enum ImportMatch { Existing, New }

/// <summary>Who can speak: a person, or an organisation (a company's statement, a government).</summary>
public enum SpeakerKind { Person, Organization }

/// <summary>How a proposed quote was found: between quotation marks, or as reported speech.</summary>
public enum ImportQuoteType { Direct, Indirect }

/// <summary>A story sent as JSON to POST /v1/imports; text/plain and text/html bodies carry only the text.</summary>
public sealed record ImportRequest
{
    /// <summary>The story as pasted: one paragraph per line; at most 200 KB.</summary>
    /// <example>"Mereka akan menanggung konsekuensinya," kata Penasihat Keamanan Nasional AS Jake Sullivan kepada wartawan.</example>
    public required string Text { get; init; }
    /// <summary>BCP 47 language of the story; detected (id or en) when absent.</summary>
    /// <example>id</example>
    public string? Language { get; init; }
    /// <summary>The headline; when absent, a first line that is a title becomes it, else one is proposed from the lead.</summary>
    public string? Title { get; init; }
    /// <summary>The story's date (UTC): the date roles are recorded with, and the quotes' saidOn unless an attribution states the day.</summary>
    public DateTime? PublishedAt { get; init; }
    /// <summary>Section of the publication.</summary>
    /// <example>Internasional</example>
    public string? Section { get; init; }
    /// <summary>Where the story was taken from, an absolute http(s) URL; kept on each quote as its sourceUrl.</summary>
    public string? SourceUrl { get; init; }
}

/// <summary>The answer of an import: the draft created (null on a dry run) and what the story was read as.</summary>
public sealed record ImportResponse
{
    /// <summary>The draft article, as GET returns it to editors; null on a dry run.</summary>
    public required ArticleResponse? Article { get; init; }
    /// <summary>What the import made of the story.</summary>
    public required ImportProposal Proposal { get; init; }
}

/// <summary>The story read as structured content: body blocks, quotes with speakers and sources, people, warnings.</summary>
public sealed record ImportProposal
{
    /// <summary>BCP 47 language of the story.</summary>
    /// <example>id</example>
    public required string Language { get; init; }
    /// <summary>The title: the story's title line, the one sent, or one proposed from the lead (then flagged in warnings).</summary>
    public required string Title { get; init; }
    /// <summary>The body blocks the story became, in order; their text is the story's lines byte for byte.</summary>
    public required IReadOnlyList<ImportBlock> Paragraphs { get; init; }
    /// <summary>Quotes found, in story order.</summary>
    public required IReadOnlyList<ImportQuote> Quotes { get; init; }
    /// <summary>People (and speaking organisations) the story names.</summary>
    public required IReadOnlyList<ImportPerson> People { get; init; }
    /// <summary>Reporting outlets the story names.</summary>
    public required IReadOnlyList<ImportSource> Sources { get; init; }
    /// <summary>What an editor should check: leftovers left out, a proposed title, unnamed speakers, unbalanced quotation marks.</summary>
    public required IReadOnlyList<ImportWarning> Warnings { get; init; }
}

/// <summary>One body block of the story.</summary>
public sealed record ImportBlock
{
    /// <summary>paragraph or heading.</summary>
    /// <example>paragraph</example>
    public required string Type { get; init; }
    /// <summary>The text, verbatim.</summary>
    public required string Text { get; init; }
}

/// <summary>A quote found in the story.</summary>
public sealed record ImportQuote
{
    /// <summary>The exact characters inside the quotation marks, or the reported clause of indirect speech.</summary>
    /// <example>Mereka akan menanggung konsekuensinya di komunitas internasional,</example>
    public required string Text { get; init; }
    /// <summary>direct (between quotation marks; a phrase quoted inside reported speech is stored as partial) or indirect.</summary>
    public required ImportQuoteType Type { get; init; }
    /// <summary>Index of the body block holding the quote; null for a quote in the title line.</summary>
    /// <example>11</example>
    public required int? Paragraph { get; init; }
    /// <summary>Offset of the quote's first character in its block (or title), in Unicode code points.</summary>
    /// <example>1</example>
    public required int Start { get; init; }
    /// <summary>Offset just past the quote's last character, in Unicode code points.</summary>
    /// <example>66</example>
    public required int End { get; init; }
    /// <summary>The attribution as written ("kata Sullivan", "ujarnya", "he told reporters").</summary>
    /// <example>kata Penasihat Keamanan Nasional AS Jake Sullivan</example>
    public required string? Cue { get; init; }
    /// <summary>Who said it; null for an unnamed speaker ("seorang pejabat").</summary>
    public required ImportSpeaker? Speaker { get; init; }
    /// <summary>The speaker's role as the story states it, else the role the speaker held on the quote's date.</summary>
    /// <example>Penasihat Keamanan Nasional AS</example>
    public required string? SpeakerRole { get; init; }
    /// <summary>The outlet the quote was reported through, or null.</summary>
    public required ImportQuoteSource? Source { get; init; }
    /// <summary>The stored quote; null on a dry run, for an unnamed speaker, or for a quote in the title line.</summary>
    public required Guid? QuoteId { get; init; }
}

/// <summary>The speaker of a proposed quote.</summary>
public sealed record ImportSpeaker
{
    /// <summary>Canonical full name.</summary>
    /// <example>Jake Sullivan</example>
    public required string Name { get; init; }
    /// <summary>The stored person; null on a dry run for a new one.</summary>
    public required Guid? PersonId { get; init; }
    /// <summary>existing (found in the database) or new.</summary>
    public required ImportMatch Match { get; init; }
    /// <summary>How the story names the speaker here ("Sullivan", "Pejabat Gedung Putih tersebut").</summary>
    /// <example>Jake Sullivan</example>
    public required string Mention { get; init; }
    /// <summary>person or organization.</summary>
    public required SpeakerKind Kind { get; init; }
    /// <summary>How sure the match is, 0 to 1: 1 for a new person or an exact name, less for an alias or a similar spelling.</summary>
    /// <example>1</example>
    public required double Confidence { get; init; }
}

/// <summary>The reporting source of a proposed quote.</summary>
public sealed record ImportQuoteSource
{
    /// <summary>The outlet's name.</summary>
    /// <example>AFP</example>
    public required string Name { get; init; }
    /// <summary>The stored source; null on a dry run for a new one.</summary>
    public required Guid? SourceId { get; init; }
    /// <summary>existing or new.</summary>
    public required ImportMatch Match { get; init; }
}

/// <summary>A person or speaking organisation the story names.</summary>
public sealed record ImportPerson
{
    /// <summary>Canonical full name.</summary>
    /// <example>Jake Sullivan</example>
    public required string Name { get; init; }
    /// <summary>The stored person; null on a dry run for a new one.</summary>
    public required Guid? PersonId { get; init; }
    /// <summary>existing or new.</summary>
    public required ImportMatch Match { get; init; }
    /// <summary>Other names the story uses for them.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }
    /// <summary>The role as the story first writes it.</summary>
    /// <example>Penasihat Keamanan Nasional AS</example>
    public required string? Role { get; init; }
    /// <summary>person or organization.</summary>
    public required SpeakerKind Kind { get; init; }
}

/// <summary>A reporting outlet the story names.</summary>
public sealed record ImportSource
{
    /// <summary>The outlet's name.</summary>
    /// <example>Reuters</example>
    public required string Name { get; init; }
    /// <summary>The stored source; null on a dry run for a new one.</summary>
    public required Guid? SourceId { get; init; }
    /// <summary>existing or new.</summary>
    public required ImportMatch Match { get; init; }
}

/// <summary>Something the editor should check.</summary>
public sealed record ImportWarning
{
    /// <summary>Stable code: leftover_dropped, title_proposed, unnamed_speaker, unbalanced_quotes, title_quote_not_stored.</summary>
    /// <example>leftover_dropped</example>
    public required string Code { get; init; }
    /// <summary>What happened, for people.</summary>
    public required string Message { get; init; }
    /// <summary>The body block concerned, when there is one.</summary>
    public int? Paragraph { get; init; }
}

/// <summary>Query of POST /v1/imports.</summary>
public sealed record ImportQuery
{
    /// <summary>true: propose only, write nothing (200).</summary>
    [System.ComponentModel.DefaultValue(false)]
    public bool? DryRun { get; init; }
}
