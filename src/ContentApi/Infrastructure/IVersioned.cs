namespace ContentApi.Infrastructure;

/// <summary>Anything with a version that grows on every change: its ETag is the version.</summary>
public interface IVersioned
{
    Guid Id { get; }
    int Version { get; }
    DateTime UpdatedAt { get; }
}
