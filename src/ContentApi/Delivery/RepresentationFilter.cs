using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Delivery;

/// <summary>
/// HTTP representation concerns shared by every resource: ETag and Last-Modified, 304 for If-None-Match,
/// the Link rel="next" header of list pages, and fields= sparse fieldsets.
/// </summary>
public sealed class RepresentationFilter : IEndpointFilter
{
    // Minimal APIs make a filter per request: the options (and the metadata they cache) must outlive it.
    private static readonly JsonSerializerOptions json = ContentJson.Writing;
    // What JsonSerializer.SerializeToUtf8Bytes writes with for these options, so the bytes (and ETags) stay the same.
    private static readonly JsonWriterOptions writerOptions = new()
    {
        Encoder = json.Encoder,
        Indented = json.WriteIndented,
        IndentCharacter = json.IndentCharacter,
        IndentSize = json.IndentSize,
        NewLine = json.NewLine,
        MaxDepth = json.MaxDepth == 0 ? 64 : json.MaxDepth,
        SkipValidation = true,
    };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        // Handlers return Results<A, B>; the representation is in the case that was chosen.
        if (result is INestedHttpResult nested)
            result = nested.Result;
        if (result is not IValueHttpResult { Value: { } value } || result is IStatusCodeHttpResult { StatusCode: not (200 or 201 or null) })
            return result;

        var http = context.HttpContext;
        var query = http.Request.Query;
        var headers = http.Response.Headers;
        var isGet = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (isGet)
            CacheHeaders.Set(http);

        if (value is IPage { NextCursor: { } cursor })
            headers.Link = $"<{NextPageUrl(http.Request, cursor)}>; rel=\"next\"";

        var lastModified = value switch
        {
            IVersioned v => v.UpdatedAt,
            IPage page => page.LastModified,
            _ => (DateTime?)null,
        };
        if (lastModified is { } modified)
            headers.LastModified = new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)).ToString("R", CultureInfo.InvariantCulture);

        var variant = query.ContainsKey("include") || query.ContainsKey("fields") || value is IVariesBeyondVersion { VariesBeyondVersion: true };
        if (value is IVersioned versioned && !(isGet && variant))
        {
            headers.ETag = ETags.For(versioned.Version);
            return isGet && NotModified(http, headers.ETag!, lastModified) ? TypedResults.StatusCode(304) : result;
        }
        if (!isGet)
            return result;

        // Lists and include/fields variants: the ETag is a hash of the exact bytes, so it changes whenever any
        // row on the page or in its includes changes. Without fields= the value is serialized once, straight to bytes.
        var body = JsonBytesResult.Rent(http);
        if (!query.TryGetValue("fields", out var fieldsParam))
        {
            using var writer = new Utf8JsonWriter(body.Writer, writerOptions);
            JsonSerializer.Serialize(writer, value, json.GetTypeInfo(value.GetType()));
        }
        else
        {
            JsonNode node = JsonSerializer.SerializeToNode(value, value.GetType(), json)!;
            var fields = Fields(fieldsParam.ToString());
            var itemType = value is IPage ? value.GetType().GetProperty("Items")!.PropertyType.GetGenericArguments()[0] : value.GetType();
            var known = json.GetTypeInfo(itemType).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = fields.Where(f => !known.Contains(f)).ToList();
            if (unknown.Count > 0 || fields.Count == 0)
                return Problems.Validation("fields", unknown.Count > 0
                    ? $"Unknown field(s) {string.Join(", ", unknown)}. Known: {string.Join(", ", known)}."
                    : "Name at least one field.");
            fields.Add("id");
            if (node is JsonObject obj && obj["items"] is JsonArray items && value is IPage)
                foreach (var item in items.OfType<JsonObject>()) Keep(item, fields);
            else if (node is JsonObject single)
                Keep(single, fields);
            using var writer = new Utf8JsonWriter(body.Writer, writerOptions);
            JsonSerializer.Serialize(writer, node, json);
        }

        var prefix = value is IVersioned v2 ? v2.Version.ToString(CultureInfo.InvariantCulture) + "." : "p.";
        // An ETag must tell versions apart, not resist attackers: a non-cryptographic 128-bit hash is enough.
        Span<byte> hash = stackalloc byte[16];
        body.Hash(hash);
        headers.ETag = "\"" + prefix + Convert.ToHexStringLower(hash[..12]) + "\"";
        if (NotModified(http, headers.ETag!, lastModified))
            return TypedResults.StatusCode(304);
        return body;
    }

    private static HashSet<string> Fields(string param) =>
        param.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The fields the request's fields= asks for (null: all), so that a handler need not read the others at all (the
    /// filter drops them from the answer either way).
    /// </summary>
    public static IReadOnlySet<string>? Requested(HttpRequest request) =>
        request.Query.TryGetValue("fields", out var param) ? Fields(param.ToString()) : null;

    private static void Keep(JsonObject obj, HashSet<string> fields)
    {
        foreach (var name in obj.Select(p => p.Key).Where(k => !fields.Contains(k)).ToList())
            obj.Remove(name);
    }

    private static bool NotModified(HttpContext http, string etag, DateTime? lastModified)
    {
        // A reader's conditional GET that the output cache will store gets the full answer here, so the cache is
        // filled; the NotModifiedGate turns it into the client's 304 on the way out.
        if (http.Features.Get<NotModifiedGate>() is not null)
            return false;
        var ifNoneMatch = http.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 0)
        {
            // RFC 9110 13.1.3: If-Modified-Since counts only without If-None-Match; dates have whole seconds.
            if (http.Request.Headers.IfModifiedSince.Count == 0)
                return false;
            var ims = http.Request.GetTypedHeaders().IfModifiedSince;
            return ims is not null && lastModified is { } modified
                && new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)).ToUnixTimeSeconds() <= ims.Value.ToUnixTimeSeconds();
        }
        return Matches(ifNoneMatch, etag);
    }

    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            // If-None-Match uses the weak comparison: W/"x" matches "x".
            && tags.Any(t => t.Tag == "*" || t.Tag.Equals(etag, StringComparison.Ordinal));

    private static string NextPageUrl(HttpRequest request, string cursor)
    {
        var query = request.Query
            .Where(p => !p.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("cursor=" + Uri.EscapeDataString(cursor));
        return $"{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
