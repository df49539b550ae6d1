namespace ContentApi.Delivery;

/// <summary>
/// Endpoint metadata for a write route whose successes are not all writes (a dry run answers 200 and changes nothing):
/// only these statuses evict the readers' output cache.
/// </summary>
public sealed record EvictOnStatus(params int[] Statuses);
