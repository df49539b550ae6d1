namespace ContentApi.Writes;

/// <summary>Marks endpoints that honour Idempotency-Key (the OpenAPI filter documents the header for them).</summary>
public sealed class IdempotentCreate;
