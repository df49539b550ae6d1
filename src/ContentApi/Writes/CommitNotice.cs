namespace ContentApi.Writes;

/// <summary>
/// A NOTIFY that the current request's write sends inside its own transaction, where PostgreSQL delivers it at commit,
/// instead of in a transaction and round trip of its own after it. Whoever wants it sent sets it around the request;
/// <see cref="ChangeRecorder"/>, which runs in the transaction of every recorded write, adds it to its statement once.
/// </summary>
public sealed class CommitNotice(string channel, string payload)
{
    private static readonly AsyncLocal<CommitNotice?> current = new();

    /// <summary>The notice of the write running in this async flow, if any.</summary>
    public static CommitNotice? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public string Channel => channel;

    public string Payload => payload;

    /// <summary>True once a write's statement carried it: delivered if that write committed.</summary>
    public bool Sent { get; internal set; }
}
