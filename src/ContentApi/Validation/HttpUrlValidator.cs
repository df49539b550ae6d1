using FluentValidation;
using FluentValidation.Validators;

namespace ContentApi.Validation;

/// <summary>An absolute http(s) URL or IRI (null passes); its own type so the OpenAPI document can say so (format: iri).</summary>
public sealed class HttpUrlValidator<T> : PropertyValidator<T, string?>, IHttpUrlValidator
{
    public override string Name => "HttpUrlValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) =>
        value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    protected override string GetDefaultMessageTemplate(string errorCode) => "Use an absolute http(s) URL.";
}
