namespace ContentApi.Sync;

/// <summary>
/// One sync page's SQL: the snapshot's now(), scheduled releases and their quotes, changes after a position, and the
/// changed items, by ids (<see cref="Items"/>) or straight from the changes (<see cref="ItemsOfChanges"/>, the one pass
/// between <see cref="Begin"/> and <see cref="Commit"/>).
/// </summary>
public sealed record SyncStatements(string Begin, string Now, string Released, string ReleasedLinks, string Changes, string Items,
    IReadOnlyList<string> ItemsOfChanges, string Commit);
