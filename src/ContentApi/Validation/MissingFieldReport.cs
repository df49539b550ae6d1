using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContentApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.Metadata;

namespace ContentApi.Validation;

/// <summary>
/// A body that misses required fields stops System.Text.Json before the validator runs, so the other fields' faults
/// (an empty text beside a missing speakerId) went unreported. JSON bodies of POST and PUT are kept (buffered) so the
/// error path can read the body again with nothing required and validate it: one 400 names every faulty field.
/// </summary>
public static class MissingFieldReport
{
    private static readonly JsonSerializerOptions Lenient = new(ContentJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers = { info => { foreach (var property in info.Properties) property.IsRequired = false; } },
        },
    };

    public static IApplicationBuilder UseMissingFieldReport(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if ((HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
                && http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: not null })
                http.Request.EnableBuffering();
            return next(http);
        });

    /// <summary>The validator's errors for the fields that were sent; the missing ones are already reported.</summary>
    public static async Task<IReadOnlyList<(string Path, string Message)>> OtherErrorsAsync(HttpContext http, IReadOnlySet<string> missing, CancellationToken ct)
    {
        // The exception handler clears the endpoint before handlers run; its feature keeps the one that threw.
        var endpoint = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: { } type } || !http.Request.Body.CanSeek)
            return [];
        if (http.RequestServices.GetService(typeof(IValidator<>).MakeGenericType(type)) is not IValidator validator)
            return [];
        object? body;
        try
        {
            http.Request.Body.Position = 0;
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, type, Lenient, ct);
        }
        catch (JsonException)
        {
            return [];
        }
        if (body is null) return [];
        FluentValidation.Results.ValidationResult result;
        try
        {
            result = await validator.ValidateAsync(new ValidationContext<object>(body), ct);
        }
        catch (Exception e) when (e is NullReferenceException or ArgumentNullException)
        {
            // A rule that trusts a required member to be there (e.Count on a missing list) meets the null it left: the
            // missing fields alone are the answer then.
            return [];
        }
        return [.. ValidationErrors.From(result).Where(e => !missing.Contains(e.Key)).SelectMany(e => e.Value.Select(m => (e.Key, m)))];
    }
}
