namespace ContentApi.Tests.Reliability;

/// <summary>
/// The reliability tests share one collection: they measure latencies and run load on a small machine, so they run
/// one after another rather than against each other (other collections still run in parallel with them).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection
{
    public const string Name = "reliability";
}
