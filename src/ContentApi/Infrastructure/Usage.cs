namespace ContentApi.Infrastructure;

/// <summary>One row that still refers to a resource someone wants to delete.</summary>
public sealed record Usage(string Type, Guid Id);
