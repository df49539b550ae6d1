using ContentApi.Infrastructure;

namespace ContentApi.Keys;

/// <summary>What an API key may do.</summary>
public enum KeyRole { Reader, Editor, Admin }

/// <summary>A new API key.</summary>
public sealed record KeyRequest
{
    /// <summary>Who or what uses the key, for people reading the list.</summary>
    /// <example>ios-app</example>
    public required string Name { get; init; }
    /// <summary>reader (published content only), editor (drafts, all writes) or admin (keys too).</summary>
    public required KeyRole Role { get; init; }
}

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record KeyResponse
{
    /// <summary>The key's id, used to revoke it.</summary>
    public required Guid Id { get; init; }
    /// <summary>Who or what uses the key.</summary>
    public required string Name { get; init; }
    /// <summary>What the key may do.</summary>
    public required KeyRole Role { get; init; }
    /// <summary>The key's first characters, to tell keys apart.</summary>
    /// <example>cak_Xb3</example>
    public required string Prefix { get; init; }
    /// <summary>When the key was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the key was revoked (UTC), if it was.</summary>
    public required DateTime? RevokedAt { get; init; }
}

/// <summary>A key just created: the only time the secret is shown.</summary>
public sealed record CreatedKeyResponse
{
    /// <summary>The key's id.</summary>
    public required Guid Id { get; init; }
    /// <summary>Who or what uses the key.</summary>
    public required string Name { get; init; }
    /// <summary>What the key may do.</summary>
    public required KeyRole Role { get; init; }
    /// <summary>The secret: send it as `Authorization: Bearer &lt;key&gt;`. It is not stored and cannot be shown again.</summary>
    public required string Key { get; init; }
    /// <summary>When the key was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
}

/// <summary>Row shape of api_keys.</summary>
public sealed record KeyRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string Prefix { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; init; }

    public KeyResponse ToResponse() => new()
    {
        Id = Id,
        Name = Name,
        Role = Wire<KeyRole>.Parse(Role),
        Prefix = Prefix,
        CreatedAt = CreatedAt,
        RevokedAt = RevokedAt,
    };
}

/// <summary>A page of keys, newest first.</summary>
public sealed record KeyListResponse : IPage
{
    DateTime? IPage.LastModified => Items.Count == 0 ? null : Items.Max(k => k.RevokedAt ?? k.CreatedAt);

    /// <summary>The keys on this page.</summary>
    public required IReadOnlyList<KeyResponse> Items { get; init; }
    /// <summary>Pass as cursor= for the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}

/// <summary>Paging of the key list.</summary>
public sealed record ListKeysQuery
{
    /// <summary>Page size, 1 to 100.</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
}
