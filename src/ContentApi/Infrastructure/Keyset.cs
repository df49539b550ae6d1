namespace ContentApi.Infrastructure;

/// <summary>
/// Position in a keyset order: which list and sort (<c>S</c>), the sort key (<c>K</c>), the last id (<c>I</c>); for ranked
/// search also the oldest member of the ranked window (<c>WK</c>, <c>WI</c>), so later pages rank the same articles.
/// </summary>
public sealed record Keyset(string S, string? K, Guid I, string? WK = null, Guid? WI = null);
