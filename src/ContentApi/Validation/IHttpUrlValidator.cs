namespace ContentApi.Validation;

/// <summary>Marks <see cref="HttpUrlValidator{T}"/> whatever its T, for readers of the rules (the OpenAPI document).</summary>
public interface IHttpUrlValidator;
