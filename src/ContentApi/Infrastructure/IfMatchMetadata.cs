namespace ContentApi.Infrastructure;

/// <summary>Marks an endpoint that reads If-Match, so the OpenAPI document can describe the header.</summary>
public sealed record IfMatchMetadata(bool Required);
