namespace ContentApi.Tests.Observability;

/// <summary>
/// The project's counters are process-wide (every test host in the run adds to them), so the tests that assert how far
/// one moved run alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
