namespace ContentApi.Revisions;

/// <summary>Paging of a revision list (newest first).</summary>
public sealed record RevisionListQuery
{
    /// <summary>Page size, 1 to 100 (default 20).</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }

    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
}
