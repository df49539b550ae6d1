using System.Text.Json.Serialization;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;

namespace ContentApi.Articles;

/// <summary>Editorial state. A published article with a future publishedAt is scheduled: invisible to readers until then.</summary>
public enum ArticleStatus { Draft, Published, Archived }

/// <summary>How a person figures in an article.</summary>
public enum PersonRole { Subject, Mentioned, Author }

/// <summary>How an article uses a source.</summary>
public enum SourceRelation
{
    Cited,
    [JsonStringEnumMemberName("reported-via")] ReportedVia,
}

/// <summary>What an embed shows.</summary>
public enum EmbedKind { Video, Audio, Social, Map, Document, Other }

/// <summary>One block of an article body. Clients render blocks natively; unknown types are rejected.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ParagraphBlock), "paragraph")]
[JsonDerivedType(typeof(HeadingBlock), "heading")]
[JsonDerivedType(typeof(QuoteBlock), "quote")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(EmbedBlock), "embed")]
public record BodyBlock;

/// <summary>A paragraph of plain text.</summary>
public sealed record ParagraphBlock : BodyBlock
{
    /// <summary>The text, at most 20,000 characters.</summary>
    public required string Text { get; init; }
}

/// <summary>A sub-heading.</summary>
public sealed record HeadingBlock : BodyBlock
{
    /// <summary>The heading text.</summary>
    public required string Text { get; init; }
    /// <summary>Heading level, 2 to 6 (the title is level 1).</summary>
    /// <example>2</example>
    public int Level { get; init; } = 2;
}

/// <summary>A quote shown in the body; it must be one of the article's quotes (it is added if missing).</summary>
public sealed record QuoteBlock : BodyBlock
{
    /// <summary>The quote shown.</summary>
    public required Guid QuoteId { get; init; }
}

/// <summary>An image.</summary>
public sealed record ImageBlock : BodyBlock
{
    /// <summary>Absolute http(s) URL of the image.</summary>
    public required string Url { get; init; }
    /// <summary>Text alternative for people who cannot see the image.</summary>
    public required string Alt { get; init; }
    /// <summary>Caption shown under the image.</summary>
    public string? Caption { get; init; }
}

/// <summary>Embedded media from elsewhere (a video, a post).</summary>
public sealed record EmbedBlock : BodyBlock
{
    /// <summary>Absolute http(s) URL of the embedded item.</summary>
    public required string Url { get; init; }
    /// <summary>Title shown with the embed.</summary>
    public string? Title { get; init; }
    /// <summary>What the embed shows.</summary>
    public required EmbedKind Kind { get; init; }
}

/// <summary>An image used as an article's hero.</summary>
public sealed record HeroImage
{
    /// <summary>Absolute http(s) URL of the image.</summary>
    public required string Url { get; init; }
    /// <summary>Text alternative.</summary>
    public required string Alt { get; init; }
    /// <summary>Caption.</summary>
    public string? Caption { get; init; }
}

/// <summary>A person linked to an article.</summary>
public sealed record ArticlePerson
{
    /// <summary>The person.</summary>
    public required Guid PersonId { get; init; }
    /// <summary>subject, mentioned or author.</summary>
    public required PersonRole Role { get; init; }
    /// <summary>With include=people: the person.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersonResponse? Person { get; init; }
}

/// <summary>A source linked to an article.</summary>
public sealed record ArticleSource
{
    /// <summary>The source.</summary>
    public required Guid SourceId { get; init; }
    /// <summary>cited or reported-via.</summary>
    public required SourceRelation Relation { get; init; }
    /// <summary>With include=sources: the source.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SourceResponse? Source { get; init; }
}

/// <summary>An article as written by clients (POST and PUT; PATCH merges into it).</summary>
public sealed record ArticleRequest
{
    /// <summary>Unique, URL-safe name: lowercase letters, digits and single hyphens, at most 120 characters.</summary>
    /// <example>korea-utara-rusia-as-wanti-wanti</example>
    public required string Slug { get; init; }
    /// <summary>Headline, at most 300 characters.</summary>
    public required string Title { get; init; }
    /// <summary>Standfirst or teaser.</summary>
    public string? Summary { get; init; }
    /// <summary>BCP 47 language tag; picks the full-text search configuration.</summary>
    /// <example>id</example>
    public required string Language { get; init; }
    /// <summary>draft, published or archived; publish and unpublish have their own endpoints too.</summary>
    public ArticleStatus Status { get; init; } = ArticleStatus.Draft;
    /// <summary>Publication time (UTC); required when status is published; in the future it schedules the article.</summary>
    public DateTime? PublishedAt { get; init; }
    /// <summary>Section of the publication.</summary>
    /// <example>Internasional</example>
    public string? Section { get; init; }
    /// <summary>Free-form tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Author line as printed.</summary>
    public string? Byline { get; init; }
    /// <summary>Lead image.</summary>
    public HeroImage? HeroImage { get; init; }
    /// <summary>The story as ordered, typed blocks; at most 500.</summary>
    public IReadOnlyList<BodyBlock> Body { get; init; } = [];
    /// <summary>People the article is about, mentions, or was written by.</summary>
    public IReadOnlyList<ArticlePerson> People { get; init; } = [];
    /// <summary>Sources the article cites or reports via.</summary>
    public IReadOnlyList<ArticleSource> Sources { get; init; } = [];
    /// <summary>Quotes the article uses, in order; quote blocks in the body are added if missing.</summary>
    public IReadOnlyList<Guid> QuoteIds { get; init; } = [];
    /// <summary>
    /// Write-only, PUT and PATCH: a correction notice published with this change, appended to the article's corrections
    /// in the same transaction, text kept byte for byte (1 to 2,000 characters). Only an article readers can see now
    /// (published, publishedAt passed) can be corrected; on a create, a draft, a scheduled or an archived article it is a
    /// 422 naming correction. Corrections themselves are read-only: no request edits or removes them.
    /// </summary>
    /// <example>Versi sebelumnya menyebut Jake Sullivan Menteri Luar Negeri AS; ia Penasihat Keamanan Nasional AS.</example>
    public string? Correction { get; init; }
}

/// <summary>
/// A correction published on an article: schema.org correction, as a CorrectionComment (text is its text, at its
/// datePublished). Appended by an edit that carries a correction, never edited or removed.
/// </summary>
public sealed record ArticleCorrection
{
    /// <summary>When the correction was published (UTC): the updatedAt of the version that carried it.</summary>
    public required DateTime At { get; init; }
    /// <summary>The correction notice as the editor wrote it, byte for byte.</summary>
    /// <example>Versi sebelumnya menyebut Jake Sullivan Menteri Luar Negeri AS; ia Penasihat Keamanan Nasional AS.</example>
    public required string Text { get; init; }
}

/// <summary>An article: a story with structured body and its people, sources and quotes.</summary>
public sealed record ArticleResponse : IVersioned, IVariesBeyondVersion
{
    /// <summary>UUID v7.</summary>
    public required Guid Id { get; init; }
    /// <summary>Unique, URL-safe name.</summary>
    public required string Slug { get; init; }
    /// <summary>Headline.</summary>
    public required string Title { get; init; }
    /// <summary>Standfirst or teaser.</summary>
    public required string? Summary { get; init; }
    /// <summary>BCP 47 language tag.</summary>
    public required string Language { get; init; }
    /// <summary>draft, published or archived.</summary>
    public required ArticleStatus Status { get; init; }
    /// <summary>Publication time (UTC).</summary>
    public required DateTime? PublishedAt { get; init; }
    /// <summary>Section.</summary>
    public required string? Section { get; init; }
    /// <summary>Tags.</summary>
    public required IReadOnlyList<string> Tags { get; init; }
    /// <summary>Author line.</summary>
    public required string? Byline { get; init; }
    /// <summary>Lead image.</summary>
    public required HeroImage? HeroImage { get; init; }
    /// <summary>The story as ordered, typed blocks.</summary>
    public required IReadOnlyList<BodyBlock> Body { get; init; }
    /// <summary>Linked people with their role.</summary>
    public required IReadOnlyList<ArticlePerson> People { get; init; }
    /// <summary>Linked sources with their relation.</summary>
    public required IReadOnlyList<ArticleSource> Sources { get; init; }
    /// <summary>The article's quotes, in order.</summary>
    public required IReadOnlyList<Guid> QuoteIds { get; init; }
    /// <summary>
    /// Corrections published on this article, oldest first; maps to schema.org correction (CorrectionComment: text,
    /// datePublished = at). Read-only: appended by a PUT or PATCH carrying correction, of the article or of a quote it uses.
    /// </summary>
    public required IReadOnlyList<ArticleCorrection> Corrections { get; init; }
    /// <summary>Grows by one on every change; the ETag carries it.</summary>
    public required int Version { get; init; }
    /// <summary>When the article was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the article last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }
    /// <summary>With include=quotes: the article's quotes, in order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuoteResponse>? Quotes { get; init; }
    /// <summary>
    /// Editors only, on a GET of one article and in write answers, and only when there is one: what an editor should
    /// look at, such as a linked quote whose text no longer appears verbatim in the body. Never shown to readers.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ArticleWarning>? Warnings { get; init; }

    bool IVariesBeyondVersion.VariesBeyondVersion => Warnings is { Count: > 0 };
}

/// <summary>Optional body of POST /publish: when to publish (default now; a future time schedules).</summary>
public sealed record PublishRequest
{
    /// <summary>Publication time (UTC); default now, or the article's existing publishedAt.</summary>
    public DateTime? PublishedAt { get; init; }
}

/// <summary>Filters for listing articles.</summary>
public sealed record ListArticlesQuery
{
    /// <summary>draft, published or archived (editors only see other than published).</summary>
    public string? Status { get; init; }
    /// <summary>BCP 47 language tag.</summary>
    public string? Language { get; init; }
    /// <summary>Only articles linked to this person.</summary>
    public Guid? PersonId { get; init; }
    /// <summary>Only articles linked to this source.</summary>
    public Guid? SourceId { get; init; }
    /// <summary>Only articles with this tag.</summary>
    public string? Tag { get; init; }
    /// <summary>Full-text search in the article's language; without sort, the newest 300 matches ranked by relevance.</summary>
    public string? Q { get; init; }
    /// <summary>Published at or after this time.</summary>
    public DateTime? PublishedAfter { get; init; }
    /// <summary>Published before this time.</summary>
    public DateTime? PublishedBefore { get; init; }
    /// <summary>Changed at or after this time.</summary>
    public DateTime? UpdatedSince { get; init; }
    /// <summary>-publishedAt (default), publishedAt or -updatedAt.</summary>
    [System.ComponentModel.DefaultValue(ArticleRepository.DefaultSort)]
    public string? Sort { get; init; }
    /// <summary>Page size, 1 to 100.</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
    /// <summary>Embed related resources: quotes, quotes.speaker, quotes.source, people, sources.</summary>
    public string? Include { get; init; }
}

/// <summary>Row shape of the articles table with its links as parallel arrays.</summary>
public sealed record ArticleRow
{
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Summary { get; init; }
    public string Language { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime? PublishedAt { get; init; }
    public string? Section { get; init; }
    public string[] Tags { get; init; } = [];
    public string? Byline { get; init; }
    public string? HeroImage { get; init; }
    public string Body { get; init; } = "[]";
    public Guid[] PersonIds { get; init; } = [];
    public string[] PersonRoles { get; init; } = [];
    public Guid[] SourceIds { get; init; } = [];
    public string[] SourceRelations { get; init; } = [];
    public Guid[] QuoteIds { get; init; } = [];
    public string Corrections { get; init; } = "[]";
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Keyset value of the list's sort, selected by list queries only.</summary>
    public DateTime SortKey { get; init; }
    /// <summary>Search rank, selected by ranked list queries only.</summary>
    public float Rank { get; init; }

    public ArticleResponse ToResponse() => new()
    {
        Id = Id,
        Slug = Slug,
        Title = Title,
        Summary = Summary,
        Language = Language,
        Status = Wire<ArticleStatus>.Parse(Status),
        PublishedAt = PublishedAt,
        Section = Section,
        Tags = Tags,
        Byline = Byline,
        HeroImage = HeroImage is null ? null : ContentJson.Deserialize<HeroImage>(HeroImage),
        Body = ContentJson.Deserialize<List<BodyBlock>>(Body) ?? [],
        People = PersonIds.Select((id, i) => new ArticlePerson { PersonId = id, Role = Wire<PersonRole>.Parse(PersonRoles[i]) }).ToList(),
        Sources = SourceIds.Select((id, i) => new ArticleSource { SourceId = id, Relation = Wire<SourceRelation>.Parse(SourceRelations[i]) }).ToList(),
        QuoteIds = QuoteIds,
        // Nearly every article has none: skip the parser on the readers' hot path.
        Corrections = Corrections == "[]" ? [] : ContentJson.Deserialize<List<ArticleCorrection>>(Corrections) ?? [],
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

public static class ArticleMapping
{
    public static ArticleRequest ToRequest(this ArticleResponse a) => new()
    {
        Slug = a.Slug,
        Title = a.Title,
        Summary = a.Summary,
        Language = a.Language,
        Status = a.Status,
        PublishedAt = a.PublishedAt,
        Section = a.Section,
        Tags = a.Tags,
        Byline = a.Byline,
        HeroImage = a.HeroImage,
        Body = a.Body,
        People = a.People.Select(p => p with { Person = null }).ToList(),
        Sources = a.Sources.Select(s => s with { Source = null }).ToList(),
        QuoteIds = a.QuoteIds,
    };

    /// <summary>The quotes an article ends up with: those listed, then any the body shows that were not listed.</summary>
    public static IReadOnlyList<Guid> EffectiveQuoteIds(this ArticleRequest a) =>
        a.QuoteIds.Concat(a.Body.OfType<QuoteBlock>().Select(b => b.QuoteId)).Distinct().ToList();
}
