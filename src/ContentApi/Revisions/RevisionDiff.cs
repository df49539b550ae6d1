namespace ContentApi.Revisions;

/// <summary>What changed from one revision to another.</summary>
public sealed record RevisionDiff
{
    /// <summary>The version the patch starts from.</summary>
    public required int From { get; init; }

    /// <summary>The version the patch leads to.</summary>
    public required int To { get; init; }

    /// <summary>An RFC 6902 JSON Patch that turns the state of <c>from</c> into the state of <c>to</c>.</summary>
    public required IReadOnlyList<JsonPatchOperation> Patch { get; init; }
}
