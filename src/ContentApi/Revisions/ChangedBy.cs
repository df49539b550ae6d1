namespace ContentApi.Revisions;

/// <summary>Who made a change: the API key's id and name (never the key itself), or the process that names itself.</summary>
public sealed record ChangedBy
{
    /// <summary>The API key's id ("bootstrap" for the configured bootstrap key); null for the command line and the sample loader.</summary>
    public string? KeyId { get; init; }

    /// <summary>The API key's name, or "command-line" / "sample-loader".</summary>
    public required string Name { get; init; }
}
