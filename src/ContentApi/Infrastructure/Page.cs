namespace ContentApi.Infrastructure;

/// <summary>A page of a keyset list: <c>nextCursor</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor) : IPage where T : IVersioned
{
    DateTime? IPage.LastModified => Items.Count == 0 ? null : Items.Max(i => i.UpdatedAt);
}
