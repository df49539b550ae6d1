namespace ContentApi.Sync;

/// <summary>One sync page's SQL: the snapshot's now(), scheduled releases and their quotes, changes after a position, and the changed items.</summary>
public sealed record SyncStatements(string Now, string Released, string ReleasedLinks, string Changes, string Items);
