namespace ContentApi.Writes;

/// <summary>
/// Who makes a change, kept with every revision: an API key (its id and name, never the key itself) or a process
/// that names itself. <see cref="Op"/> overrides the operation a write records when it is a restore or an undelete.
/// </summary>
public sealed record Actor(string? KeyId, string Name)
{
    public static readonly Actor CommandLine = new(null, "command-line");
    public static readonly Actor SampleLoader = new(null, "sample-loader");

    public string? Op { get; init; }

    /// <summary>The operation to record: <see cref="Op"/> when set, else what the write itself is.</summary>
    public string OpOr(string op) => Op ?? op;
}
