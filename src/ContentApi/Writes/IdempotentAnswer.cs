namespace ContentApi.Writes;

/// <summary>
/// The Idempotency-Key a create runs under (set by <see cref="IdempotencyFilter{TRequest}"/>), so that the create's own
/// transaction stores its answer: <see cref="ChangeRecorder"/> writes the first state it records as the 201's body,
/// with the revision, instead of a statement and a commit of their own after the create. The filter keeps that answer
/// only when the handler returns that very state; otherwise it stores the handler's answer as before.
/// </summary>
public sealed class IdempotentAnswer(string principal, string key, string path)
{
    private static readonly AsyncLocal<IdempotentAnswer?> current = new();

    /// <summary>The key of the create running in this async flow, if any.</summary>
    public static IdempotentAnswer? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public string Principal => principal;

    public string Key => key;

    /// <summary>The Location of the created item, as the filter answers it.</summary>
    public string Location(Guid id) => $"{path}/{id}";

    /// <summary>The state stored as the answer, once a recorded write took it (stored if that write committed).</summary>
    public object? State { get; private set; }

    internal void Claim(object state) => State = state;
}
