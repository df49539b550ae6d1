namespace ContentApi.Infrastructure;

/// <summary>
/// What a list cursor's sort key holds (<see cref="Keyset.K"/>, <see cref="Keyset.WK"/>). A cursor is signed, but its
/// payload is still checked against this before a repository parses it: a malformed one is a 400, never a 500.
/// </summary>
public enum CursorKey
{
    /// <summary>No key: the list is ordered by id alone.</summary>
    None,
    /// <summary>Any text (a name).</summary>
    Text,
    /// <summary>A round-trip ("O") UTC timestamp.</summary>
    Time,
    /// <summary>A finite floating-point rank.</summary>
    Rank,
}
