using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ContentApi.Infrastructure;

/// <summary>
/// The version a conditional write expects, bound from If-Match: a required parameter answers 428 when the header is
/// missing, any parameter 400 when it is not an entity tag. Comparison is strong (RFC 9110 13.1.1): a weak tag or a
/// tag this API never issued is <see cref="Never"/>, which matches no version, so the write ends in 412.
/// </summary>
public sealed record IfMatch(int Version) : IEndpointParameterMetadataProvider
{
    public const string Header = "If-Match";
    public const int Never = -1;

    public static ValueTask<IfMatch?> BindAsync(HttpContext http, ParameterInfo parameter)
    {
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        // "*" matches any current version (RFC 9110 13.1.1): it proves nothing, so where If-Match is required it counts as missing.
        if (header is "" or "*")
            return IsRequired(parameter)
                ? throw new BadHttpRequestException(Problems.PreconditionRequiredDetail, StatusCodes.Status428PreconditionRequired)
                : ValueTask.FromResult<IfMatch?>(null);
        return Parse(header) is { } version
            ? ValueTask.FromResult<IfMatch?>(new IfMatch(version))
            : throw new BadHttpRequestException(InvalidDetail, StatusCodes.Status400BadRequest, new FormatException(Header));
    }

    public const string InvalidDetail = "If-Match must be an entity tag from this API, such as \"3\" (quotes included).";

    /// <summary>
    /// The first tag's version: "7", or "7.abc" from a GET with includes (the part before the dot is the resource's
    /// own version). Null when the header is not a list of entity tags.
    /// </summary>
    private static int? Parse(string header)
    {
        var tag = header.Split(',')[0].Trim();
        var weak = tag.StartsWith("W/", StringComparison.Ordinal);
        if (weak) tag = tag[2..];
        if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"' || tag[1..^1].Contains('"')) return null;
        if (weak) return Never;
        var inner = tag[1..^1];
        var dot = inner.IndexOf('.');
        if (dot >= 0) inner = inner[..dot];
        return int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : Never;
    }

    private static bool IsRequired(ParameterInfo parameter) =>
        new NullabilityInfoContext().Create(parameter).ReadState != NullabilityState.Nullable;

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new IfMatchMetadata(IsRequired(parameter)));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status412PreconditionFailed, typeof(ProblemDetails), ["application/problem+json"]));
        if (IsRequired(parameter))
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status428PreconditionRequired, typeof(ProblemDetails), ["application/problem+json"]));
    }
}
