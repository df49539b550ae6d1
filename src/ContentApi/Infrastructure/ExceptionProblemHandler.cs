using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentApi.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace ContentApi.Infrastructure;

/// <summary>
/// The one place that turns exceptions into problems: database constraint violations into 409/422/400,
/// unreadable requests into 400/413/415, an unreachable database into 503, anything else into a bare 500.
/// </summary>
public sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    // Constraint name -> the JSON field a client sent. Names come from db/migrations.
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["people_slug_key"] = "slug",
        ["sources_slug_key"] = "slug",
        ["articles_slug_key"] = "slug",
        ["quotes_speaker_id_fkey"] = "speakerId",
        ["quotes_source_id_fkey"] = "sourceId",
        ["quotes_translation_of_id_fkey"] = "translationOfId",
        ["article_people_person_id_fkey"] = "people",
        ["article_sources_source_id_fkey"] = "sources",
        ["article_quotes_quote_id_fkey"] = "quoteIds",
        ["article_quotes_article_id_fkey"] = "articleIds",
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, code, title, detail, extensions) = Classify(http, exception);
        if (exception is BadHttpRequestException { InnerException: JsonException } && extensions.GetValueOrDefault("errors") is Dictionary<string, string[]> errors
            && errors.Count > 0 && errors.Values.All(m => m is [JsonErrors.RequiredMessage]))
        {
            foreach (var (path, message) in await Validation.MissingFieldReport.OtherErrorsAsync(http, errors.Keys.ToHashSet(), ct))
                errors[path] = errors.TryGetValue(path, out var before) ? [.. before, message] : [message];
            if (errors.Count > 1) detail = "The request has invalid fields; see errors.";
        }
        if (status >= 500)
            logger.LogError(exception, "Unhandled error answering {Method} {Path}", http.Request.Method, http.Request.Path);
        else
            logger.LogInformation("Request refused with {Status}: {Detail}", status, detail);

        if (status == 503)
            http.Response.Headers.RetryAfter = "5";
        http.Response.StatusCode = status;
        extensions["code"] = code;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = status, Title = title, Detail = detail, Type = Problems.TypeFor(code),
                Extensions = extensions,
            },
        });
    }

    private static (int, string, string, string, Dictionary<string, object?>) Classify(HttpContext http, Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                var all = JsonErrors.DescribeAll(json);
                return (400, Problems.ValidationFailed, "Validation failed", all.Count == 1 ? all[0].Message : "The request has invalid fields; see errors.",
                    new() { ["errors"] = all.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) });
            case BadHttpRequestException { StatusCode: 428 } bad:
                return (428, Problems.PreconditionRequiredCode, "Precondition required", bad.Message, []);
            case BadHttpRequestException { InnerException: FormatException { Message: IfMatch.Header } } bad:
                return Invalid(IfMatch.Header, bad.Message);
            case BadHttpRequestException bad when bad.StatusCode == 400:
                if (MissingParameter().Match(bad.Message) is { Success: true } missingParameter)
                    return Invalid(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(missingParameter.Groups[1].Value), $"Required in the {missingParameter.Groups[2].Value}.");
                var parameter = ParameterName().Match(bad.Message);
                return parameter.Success
                    ? Invalid(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(parameter.Groups[1].Value), $"'{parameter.Groups[2].Value}' is not a valid value.")
                    : Invalid("", bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "A JSON body is required." : "The request could not be read.");
            case BadHttpRequestException { StatusCode: 415 } bad:
                return (415, Problems.CodeFor(415), "Unsupported media type", UnsupportedMediaType(http, bad), []);
            case BadHttpRequestException bad:
                return (bad.StatusCode, Problems.CodeFor(bad.StatusCode), "Bad request", bad.Message, []);
            case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg:
                var field = Fields.GetValueOrDefault(pg.ConstraintName ?? "");
                return field == "slug"
                    ? (409, Problems.SlugTaken, "Slug taken", "Another resource already uses this slug.", new() { ["errors"] = new Dictionary<string, string[]> { ["slug"] = ["This slug is taken."] } })
                    : (409, Problems.Conflict, "Conflict", "The write conflicts with an existing row.", []);
            case PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg when HttpMethods.IsDelete(http.Request.Method):
                return (409, Problems.InUseCode, "In use", $"Still used by {pg.TableName}.", []);
            case PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg:
                var reference = Fields.GetValueOrDefault(pg.ConstraintName ?? "", "id");
                var missing = KeyValue().Match(pg.Detail ?? "");
                return (422, Problems.ValidationFailed, "Unprocessable content", $"{reference} refers to something that does not exist.",
                    new() { ["errors"] = new Dictionary<string, string[]> { [reference] = [missing.Success ? $"{missing.Groups[1].Value} does not exist." : "Refers to something that does not exist."] } });
            case PostgresException { SqlState: PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.StringDataRightTruncation } pg:
                return Invalid(pg.ColumnName ?? pg.ConstraintName ?? "", "The value is not allowed.");
            case PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.InvalidTextRepresentation }:
                return Invalid("", "The request contains characters or values the store cannot hold (for example NUL).");
            case PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }:
                return (503, Problems.Unavailable, "Service unavailable", "A concurrent request got in the way of this one; retry it.", []);
            case NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: SocketException or TimeoutException or IOException }:
                return (503, Problems.Unavailable, "Service unavailable", "The database is unreachable; retry shortly.", []);
            case PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.QueryCanceled }:
                return (503, Problems.Unavailable, "Service unavailable", "The database is unreachable; retry shortly.", []);
            default:
                return (500, Problems.InternalError, "Internal error", "Something went wrong on our side; the traceId identifies it in our logs.", []);
        }
    }

    /// <summary>Names the media types the endpoint takes, and what was sent.</summary>
    private static string UnsupportedMediaType(HttpContext http, BadHttpRequestException bad)
    {
        var sent = string.IsNullOrEmpty(http.Request.ContentType) ? "no Content-Type" : $"Content-Type {http.Request.ContentType}";
        var accepted = http.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()
            .SelectMany(a => a.ContentTypes).Distinct().ToList() ?? [];
        if (HttpMethods.IsPatch(http.Request.Method) || accepted.Count == 0)
            return Problems.MediaTypeDetail(http.Request);
        return accepted.Count > 0
            ? $"This endpoint takes Content-Type: {string.Join(" or ", accepted)}; the request had {sent}."
            : $"{bad.Message} The request had {sent}.";
    }

    private static (int, string, string, string, Dictionary<string, object?>) Invalid(string field, string message) =>
        (400, Problems.ValidationFailed, "Validation failed", message,
            new() { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });


    [GeneratedRegex("""^Required parameter "\S+ (\w+)" was not provided from (.+?)\.$""")]
    private static partial Regex MissingParameter();

    [GeneratedRegex("""parameter "\S+ (\w+)" from "(.*)"\.""", RegexOptions.Singleline)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"Key \(\w+\)=\(([^)]*)\)")]
    private static partial Regex KeyValue();
}
