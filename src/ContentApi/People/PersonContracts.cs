using System.Text.Json.Serialization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;

namespace ContentApi.People;

/// <summary>A person as written by clients (POST and PUT; PATCH merges into it).</summary>
public sealed record PersonRequest
{
    /// <summary>Unique, URL-safe name: lowercase letters, digits and single hyphens, at most 120 characters.</summary>
    /// <example>jake-sullivan</example>
    public required string Slug { get; init; }
    /// <summary>Full name as usually written.</summary>
    /// <example>Jake Sullivan</example>
    public required string Name { get; init; }
    /// <summary>Other names the person goes by; searched like the name.</summary>
    /// <example>["Sullivan"]</example>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Current job title.</summary>
    /// <example>Penasihat Keamanan Nasional AS</example>
    public string? Title { get; init; }
    /// <summary>Organisation the person belongs to now.</summary>
    /// <example>Gedung Putih</example>
    public string? Affiliation { get; init; }
    /// <summary>Short biography.</summary>
    public string? Description { get; init; }
    /// <summary>Wikidata item id.</summary>
    /// <example>Q6125217</example>
    public string? WikidataId { get; init; }
    /// <summary>Portrait, an absolute http(s) URL.</summary>
    public string? ImageUrl { get; init; }
    /// <summary>Roles the person has held over time, e.g. recorded by a story import with the story's date.</summary>
    public IReadOnlyList<PersonRoleSpan> Roles { get; init; } = [];
}

/// <summary>A role a person held over a span of time; from and to are dates (YYYY-MM-DD), null when open or unknown.</summary>
public sealed record PersonRoleSpan
{
    /// <summary>The title as written.</summary>
    /// <example>Penasihat Keamanan Nasional AS</example>
    public required string Title { get; init; }
    /// <summary>Organisation the role belongs to.</summary>
    /// <example>Gedung Putih</example>
    public string? Affiliation { get; init; }
    /// <summary>First day known in the role, or null.</summary>
    /// <example>2023-09-06</example>
    public DateOnly? From { get; init; }
    /// <summary>Last day in the role, or null while it lasts.</summary>
    public DateOnly? To { get; init; }
}

/// <summary>A person: a speaker or subject of stories.</summary>
public sealed record PersonResponse : IQuoteOwner<PersonResponse>
{
    /// <summary>UUID v7.</summary>
    public required Guid Id { get; init; }
    /// <summary>Unique, URL-safe name.</summary>
    /// <example>jake-sullivan</example>
    public required string Slug { get; init; }
    /// <summary>Full name.</summary>
    /// <example>Jake Sullivan</example>
    public required string Name { get; init; }
    /// <summary>Other names the person goes by.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }
    /// <summary>Current job title.</summary>
    public required string? Title { get; init; }
    /// <summary>Organisation the person belongs to now.</summary>
    public required string? Affiliation { get; init; }
    /// <summary>Short biography.</summary>
    public required string? Description { get; init; }
    /// <summary>Wikidata item id.</summary>
    public required string? WikidataId { get; init; }
    /// <summary>Portrait URL.</summary>
    public required string? ImageUrl { get; init; }
    /// <summary>Roles the person has held over time.</summary>
    public required IReadOnlyList<PersonRoleSpan> Roles { get; init; }
    /// <summary>Grows by one on every change; the ETag carries it.</summary>
    public required int Version { get; init; }
    /// <summary>When the person was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the person last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }
    /// <summary>With include=quotes: the newest 20 quotes this person said.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuoteResponse>? Quotes { get; init; }
    /// <summary>With include=articles: the newest 20 articles about or mentioning this person.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ArticleResponse>? Articles { get; init; }

    public PersonResponse WithQuotes(IReadOnlyList<QuoteResponse> quotes) => this with { Quotes = quotes };

    public PersonResponse WithArticles(IReadOnlyList<ArticleResponse> articles) => this with { Articles = articles };
}

/// <summary>Filters for listing people.</summary>
public sealed record ListPeopleQuery
{
    /// <summary>Search in names and aliases, typo-tolerant ("Jake Sulivan" finds Jake Sullivan).</summary>
    public string? Q { get; init; }
    /// <summary>Page size, 1 to 100.</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
    /// <summary>Embed related resources: quotes, articles.</summary>
    public string? Include { get; init; }
}

/// <summary>Row shape of the people table.</summary>
public sealed record PersonRow
{
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string[] Aliases { get; init; } = [];
    public string? Title { get; init; }
    public string? Affiliation { get; init; }
    public string? Description { get; init; }
    public string? WikidataId { get; init; }
    public string? ImageUrl { get; init; }
    public string Roles { get; init; } = "[]";
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public PersonResponse ToResponse() => new()
    {
        Id = Id,
        Slug = Slug,
        Name = Name,
        Aliases = Aliases,
        Title = Title,
        Affiliation = Affiliation,
        Description = Description,
        WikidataId = WikidataId,
        ImageUrl = ImageUrl,
        Roles = ContentJson.Deserialize<List<PersonRoleSpan>>(Roles) ?? [],
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

public static class PersonMapping
{
    public static PersonRequest ToRequest(this PersonResponse p) => new()
    {
        Slug = p.Slug,
        Name = p.Name,
        Aliases = p.Aliases,
        Title = p.Title,
        Affiliation = p.Affiliation,
        Description = p.Description,
        WikidataId = p.WikidataId,
        ImageUrl = p.ImageUrl,
        Roles = p.Roles,
    };
}
