using ContentApi.Infrastructure;

namespace ContentApi.Revisions;

/// <summary>One version of an item in its history: which, what changed it, when and by whom.</summary>
public sealed record RevisionSummary : IVersioned
{
    /// <summary>The item's version this change produced; for a delete, the last version plus one.</summary>
    public required int Version { get; init; }

    /// <summary>What the change was.</summary>
    public required RevisionOp Op { get; init; }

    /// <summary>When the change committed (its transaction's time).</summary>
    public required DateTime ChangedAt { get; init; }

    /// <summary>Who made the change.</summary>
    public required ChangedBy ChangedBy { get; init; }

    Guid IVersioned.Id => Guid.Empty;

    DateTime IVersioned.UpdatedAt => ChangedAt;
}
