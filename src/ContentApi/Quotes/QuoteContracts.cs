using System.Text.Json.Serialization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Sources;

namespace ContentApi.Quotes;

/// <summary>How literally the text reproduces what was said.</summary>
public enum QuoteType { Direct, Partial, Indirect }

/// <summary>A quote as written by clients (POST and PUT; PATCH merges into it).</summary>
public sealed record QuoteRequest
{
    /// <summary>The words, verbatim; stored and returned character for character. At most 10,000 characters.</summary>
    /// <example>Mereka akan menanggung konsekuensinya di komunitas internasional</example>
    public required string Text { get; init; }
    /// <summary>BCP 47 language tag of the text.</summary>
    /// <example>id</example>
    public required string Language { get; init; }
    /// <summary>direct (verbatim), partial (a fragment) or indirect (paraphrase).</summary>
    public required QuoteType Type { get; init; }
    /// <summary>The person who said it.</summary>
    public required Guid SpeakerId { get; init; }
    /// <summary>The speaker's role when they said it, so old quotes stay right after people change jobs.</summary>
    /// <example>Penasihat Keamanan Nasional AS</example>
    public string? SpeakerRole { get; init; }
    /// <summary>Calendar date it was said (YYYY-MM-DD).</summary>
    /// <example>2023-09-06</example>
    public DateOnly? SaidOn { get; init; }
    /// <summary>Where or how it was said.</summary>
    /// <example>kepada wartawan di Gedung Putih</example>
    public string? Occasion { get; init; }
    /// <summary>The source it was reported via.</summary>
    public Guid? SourceId { get; init; }
    /// <summary>Link to the source's report, an absolute http(s) URL.</summary>
    public string? SourceUrl { get; init; }
    /// <summary>For a translation: the original quote.</summary>
    public Guid? TranslationOfId { get; init; }
    /// <summary>Articles that use this quote; written from the quote's side too.</summary>
    public IReadOnlyList<Guid> ArticleIds { get; init; } = [];
    /// <summary>
    /// Write-only, PUT and PATCH: a correction notice appended, in the same transaction, to every article readers can
    /// see now that uses this quote (each gets a new version); text kept byte for byte (1 to 2,000 characters). When no
    /// such article uses the quote, and on a create, it is a 422 naming correction.
    /// </summary>
    /// <example>Kutipan ini sebelumnya keliru dikaitkan dengan Kamala Harris; yang mengucapkannya Jake Sullivan.</example>
    public string? Correction { get; init; }
}

/// <summary>A quote: verbatim words, who said them, when, where, reported via which source.</summary>
public sealed record QuoteResponse : IVersioned
{
    /// <summary>UUID v7.</summary>
    public required Guid Id { get; init; }
    /// <summary>The words, verbatim.</summary>
    /// <example>Mereka akan menanggung konsekuensinya di komunitas internasional</example>
    public required string Text { get; init; }
    /// <summary>BCP 47 language tag.</summary>
    /// <example>id</example>
    public required string Language { get; init; }
    /// <summary>direct, partial or indirect.</summary>
    public required QuoteType Type { get; init; }
    /// <summary>The person who said it.</summary>
    public required Guid SpeakerId { get; init; }
    /// <summary>The speaker's role at the time.</summary>
    public required string? SpeakerRole { get; init; }
    /// <summary>Calendar date it was said.</summary>
    public required DateOnly? SaidOn { get; init; }
    /// <summary>Where or how it was said.</summary>
    public required string? Occasion { get; init; }
    /// <summary>The source it was reported via.</summary>
    public required Guid? SourceId { get; init; }
    /// <summary>Link to the source's report.</summary>
    public required string? SourceUrl { get; init; }
    /// <summary>For a translation: the original quote.</summary>
    public required Guid? TranslationOfId { get; init; }
    /// <summary>Articles that use this quote (for readers: only published ones).</summary>
    public required IReadOnlyList<Guid> ArticleIds { get; init; }
    /// <summary>Grows by one on every change; the ETag carries it.</summary>
    public required int Version { get; init; }
    /// <summary>When the quote was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the quote last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }
    /// <summary>With include=speaker (or quotes.speaker on an article): the speaker.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersonResponse? Speaker { get; init; }
    /// <summary>With include=source (or quotes.source on an article): the source.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SourceResponse? Source { get; init; }
    /// <summary>With include=articles: the articles using the quote.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ArticleResponse>? Articles { get; init; }
    /// <summary>
    /// In the answer of a write only, when there is one: articles whose body no longer holds the quote's text verbatim
    /// (their editors see the same warning on the article).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuoteWarning>? Warnings { get; init; }
}

/// <summary>Filters for listing quotes, newest first.</summary>
public sealed record ListQuotesQuery
{
    /// <summary>Only quotes by this person.</summary>
    public Guid? SpeakerId { get; init; }
    /// <summary>Only quotes reported via this source.</summary>
    public Guid? SourceId { get; init; }
    /// <summary>Only quotes used by this article.</summary>
    public Guid? ArticleId { get; init; }
    /// <summary>Only quotes in this language (BCP 47).</summary>
    public string? Language { get; init; }
    /// <summary>Full-text search in the quote's language: the newest 300 matches, ranked by relevance.</summary>
    public string? Q { get; init; }
    /// <summary>Said on or after this date.</summary>
    public DateOnly? SaidAfter { get; init; }
    /// <summary>Said on or before this date.</summary>
    public DateOnly? SaidBefore { get; init; }
    /// <summary>Page size, 1 to 100.</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
    /// <summary>Embed related resources: speaker, source, articles.</summary>
    public string? Include { get; init; }
}

/// <summary>Row shape of the quotes table with its article links.</summary>
public sealed record QuoteRow
{
    public Guid Id { get; init; }
    public string Text { get; init; } = "";
    public string Language { get; init; } = "";
    public string Type { get; init; } = "";
    public Guid SpeakerId { get; init; }
    public string? SpeakerRole { get; init; }
    public DateOnly? SaidOn { get; init; }
    public string? Occasion { get; init; }
    public Guid? SourceId { get; init; }
    public string? SourceUrl { get; init; }
    public Guid? TranslationOfId { get; init; }
    public Guid[] ArticleIds { get; init; } = [];
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Search rank, only set by q= queries.</summary>
    public float Rank { get; init; }

    public QuoteResponse ToResponse() => new()
    {
        Id = Id,
        Text = Text,
        Language = Language,
        Type = Wire<QuoteType>.Parse(Type),
        SpeakerId = SpeakerId,
        SpeakerRole = SpeakerRole,
        SaidOn = SaidOn,
        Occasion = Occasion,
        SourceId = SourceId,
        SourceUrl = SourceUrl,
        TranslationOfId = TranslationOfId,
        ArticleIds = ArticleIds,
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

public static class QuoteMapping
{
    public static QuoteRequest ToRequest(this QuoteResponse q) => new()
    {
        Text = q.Text,
        Language = q.Language,
        Type = q.Type,
        SpeakerId = q.SpeakerId,
        SpeakerRole = q.SpeakerRole,
        SaidOn = q.SaidOn,
        Occasion = q.Occasion,
        SourceId = q.SourceId,
        SourceUrl = q.SourceUrl,
        TranslationOfId = q.TranslationOfId,
        ArticleIds = q.ArticleIds,
    };
}
