using System.Text.Json.Serialization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;

namespace ContentApi.Sources;

/// <summary>What kind of outlet or body a source is.</summary>
public enum SourceKind { Agency, Newspaper, Broadcaster, Magazine, Website, Government, Organization, Other }

/// <summary>A source as written by clients (POST and PUT; PATCH merges into it).</summary>
public sealed record SourceRequest
{
    /// <summary>Unique, URL-safe name: lowercase letters, digits and single hyphens, at most 120 characters.</summary>
    /// <example>reuters</example>
    public required string Slug { get; init; }
    /// <summary>Display name.</summary>
    /// <example>Reuters</example>
    public required string Name { get; init; }
    /// <summary>What kind of source this is.</summary>
    /// <example>agency</example>
    public required SourceKind Kind { get; init; }
    /// <summary>Home page, an absolute http(s) URL.</summary>
    /// <example>https://www.reuters.com</example>
    public string? Url { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    /// <example>GB</example>
    public string? Country { get; init; }
}

/// <summary>A source: where information came from.</summary>
public sealed record SourceResponse : IQuoteOwner<SourceResponse>
{
    /// <summary>UUID v7.</summary>
    public required Guid Id { get; init; }
    /// <summary>Unique, URL-safe name.</summary>
    /// <example>reuters</example>
    public required string Slug { get; init; }
    /// <summary>Display name.</summary>
    /// <example>Reuters</example>
    public required string Name { get; init; }
    /// <summary>What kind of source this is.</summary>
    public required SourceKind Kind { get; init; }
    /// <summary>Home page.</summary>
    /// <example>https://www.reuters.com</example>
    public required string? Url { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    /// <example>GB</example>
    public required string? Country { get; init; }
    /// <summary>Grows by one on every change; the ETag carries it.</summary>
    public required int Version { get; init; }
    /// <summary>When the source was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the source last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }
    /// <summary>With include=quotes: the newest 20 quotes reported via this source.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuoteResponse>? Quotes { get; init; }
    /// <summary>With include=articles: the newest 20 articles citing this source.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ArticleResponse>? Articles { get; init; }

    public SourceResponse WithQuotes(IReadOnlyList<QuoteResponse> quotes) => this with { Quotes = quotes };

    public SourceResponse WithArticles(IReadOnlyList<ArticleResponse> articles) => this with { Articles = articles };
}

/// <summary>Filters for listing sources.</summary>
public sealed record ListSourcesQuery
{
    /// <summary>Search in names, typo-tolerant.</summary>
    public string? Q { get; init; }
    /// <summary>Only sources of this kind: agency, newspaper, broadcaster, magazine, website, government, organization, other.</summary>
    public string? Kind { get; init; }
    /// <summary>Page size, 1 to 100.</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
    /// <summary>Embed related resources: quotes, articles.</summary>
    public string? Include { get; init; }
}

/// <summary>Row shape of the sources table.</summary>
public sealed record SourceRow
{
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Url { get; init; }
    public string? Country { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public SourceResponse ToResponse() => new()
    {
        Id = Id,
        Slug = Slug,
        Name = Name,
        Kind = Wire<SourceKind>.Parse(Kind),
        Url = Url,
        Country = Country,
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

public static class SourceMapping
{
    public static SourceRequest ToRequest(this SourceResponse s) => new()
    {
        Slug = s.Slug,
        Name = s.Name,
        Kind = s.Kind,
        Url = s.Url,
        Country = s.Country,
    };
}
