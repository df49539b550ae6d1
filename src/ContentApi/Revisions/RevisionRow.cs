using System.Text.Json;
using ContentApi.Infrastructure;

namespace ContentApi.Revisions;

/// <summary>A row of revisions as read; <see cref="State"/> is read only where the full state is asked for.</summary>
public sealed record RevisionRow
{
    public int Version { get; init; }
    public string Op { get; init; } = "";
    public DateTime ChangedAt { get; init; }
    public string? ChangedById { get; init; }
    public string ChangedByName { get; init; } = "";
    public string? State { get; init; }

    private ChangedBy By => new() { KeyId = ChangedById, Name = ChangedByName };

    private DateTime At => DateTime.SpecifyKind(ChangedAt, DateTimeKind.Utc);

    public RevisionSummary ToSummary() => new() { Version = Version, Op = Wire<RevisionOp>.Parse(Op), ChangedAt = At, ChangedBy = By };

    public RevisionResponse ToResponse() => new()
    {
        Version = Version,
        Op = Wire<RevisionOp>.Parse(Op),
        ChangedAt = At,
        ChangedBy = By,
        State = JsonDocument.Parse(State!).RootElement.Clone(),
    };
}
