using System.Text.Json;

namespace ContentApi.Revisions;

/// <summary>One version of an item with its full state.</summary>
public sealed record RevisionResponse
{
    /// <summary>The item's version this change produced; for a delete, the last version plus one.</summary>
    public required int Version { get; init; }

    /// <summary>What the change was.</summary>
    public required RevisionOp Op { get; init; }

    /// <summary>When the change committed (its transaction's time).</summary>
    public required DateTime ChangedAt { get; init; }

    /// <summary>Who made the change.</summary>
    public required ChangedBy ChangedBy { get; init; }

    /// <summary>The item as an editor's GET returned it after the change (for a delete: its last state before it).</summary>
    public required JsonElement State { get; init; }
}
