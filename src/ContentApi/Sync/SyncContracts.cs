using ContentApi.Infrastructure;

namespace ContentApi.Sync;

/// <summary>What happened to an entity: it exists as data shows, or it is gone (deleted, or no longer visible to you).</summary>
public enum SyncOp { Upsert, Delete }

/// <summary>One change in the sync feed.</summary>
[TaggedData("article", typeof(Articles.ArticleResponse))]
[TaggedData("quote", typeof(Quotes.QuoteResponse))]
[TaggedData("person", typeof(People.PersonResponse))]
[TaggedData("source", typeof(Sources.SourceResponse))]
public sealed record SyncItem
{
    /// <summary>article, quote, person or source.</summary>
    /// <example>article</example>
    public required string Type { get; init; }
    /// <summary>The entity's id.</summary>
    public required Guid Id { get; init; }
    /// <summary>upsert: store data; delete: forget the entity.</summary>
    public required SyncOp Op { get; init; }
    /// <summary>The entity's version after this change; ignore a change older than what you hold.</summary>
    public required int Version { get; init; }
    /// <summary>For upsert: the entity exactly as GET returns it (its type follows from type); null for delete.</summary>
    public object? Data { get; init; }
}

/// <summary>A page of the sync feed.</summary>
public sealed record SyncPage
{
    /// <summary>Changes in commit order, each entity at most once.</summary>
    public required IReadOnlyList<SyncItem> Items { get; init; }
    /// <summary>Pass as since= next time. Store it only after applying items.</summary>
    public required string NextToken { get; init; }
    /// <summary>True when more changes are waiting: ask again at once with nextToken.</summary>
    public required bool HasMore { get; init; }
}

/// <summary>Query of GET /v1/sync.</summary>
public sealed record SyncQuery
{
    /// <summary>The nextToken of your last sync; omit to get everything from the start.</summary>
    public string? Since { get; init; }
    /// <summary>Page size, 1 to 500 (default 100).</summary>
    [System.ComponentModel.DefaultValue(SyncEndpoints.DefaultLimit)]
    public int? Limit { get; init; }
}

/// <summary>
/// Position in the feed (token payload): after change (Tx, Seq); scheduled articles released up to At, and when a page
/// was cut short among releases, up to the one with id AI released at At.
/// </summary>
public sealed record SyncPosition(string Tx, long Seq, DateTime At)
{
    public Guid? AI { get; init; }

    /// <summary>
    /// A position the feed could have handed out: a transaction id (xid8), a sequence number, and a release time not
    /// ahead of the server's clock (<paramref name="now"/>, plus a day for clock skew); anything else is a 400, where a
    /// nonsense position used to replay the feed from the start or skip releases.
    /// </summary>
    public bool IsWellFormed(DateTime now) =>
        Tx is { Length: > 0 and <= 20 } && Tx.All(char.IsAsciiDigit) && ulong.TryParse(Tx, out _) && Seq >= 0
        && At <= now.AddDays(1);
}

/// <summary>Row shape of sync_changes.</summary>
public sealed record ChangeRow
{
    public string Entity { get; init; } = "";
    public Guid Id { get; init; }
    public string Tx { get; init; } = "0";
    public long Seq { get; init; }
    public int Version { get; init; }
    public bool Deleted { get; init; }
}
