using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentApi.Validation;

/// <summary>Turns System.Text.Json's exceptions into the field paths and messages a client (or a form) can act on.</summary>
public static partial class JsonErrors
{
    public const string RequiredMessage = "Required.";

    /// <summary>The first error: its path and message.</summary>
    public static (string Path, string Message) Describe(JsonException e) => DescribeAll(e).First();

    /// <summary>Every error the exception tells of: one entry per missing required field, under its own path.</summary>
    public static IReadOnlyList<(string Path, string Message)> DescribeAll(JsonException e)
    {
        var path = PathOf(e.Path);
        var message = e.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
            return missing.Groups[1].Value.Split(", ").Select(n => (Join(path, n.Trim('\'')), RequiredMessage)).ToList();
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            // A block without "type" is read as the bare base type, which has no fields: name the missing type.
            if (unmapped.Groups[2].Value.EndsWith(".BodyBlock", StringComparison.Ordinal))
                return [(Parent(path) is var parent && parent.Length > 0 ? parent + ".type" : "type",
                    "Each block needs a type: paragraph, heading, quote, image or embed.")];
            return [(path, $"Unknown field '{unmapped.Groups[1].Value}'. Read-only fields (id, version, createdAt, updatedAt, corrections) cannot be sent.")];
        }
        if (message.StartsWith("Use one of: ", StringComparison.Ordinal))
            return [(path, message)];
        if (message.Contains("type discriminator", StringComparison.OrdinalIgnoreCase))
            return [(Join(path, "type"), "Unknown block type. Use paragraph, heading, quote, image or embed.")];
        if (NotConverted().Match(message) is { Success: true } converted)
            return [(path, Expected(converted.Groups[1].Value))];
        if (e.LineNumber is { } line && e.BytePositionInLine is { } position)
            return [(path, $"The JSON is malformed: line {line + 1}, position {position + 1}.")];
        return [(path, "The JSON is malformed or this value has the wrong type.")];
    }

    /// <summary>What a value of the .NET type the field has looks like on the wire.</summary>
    private static string Expected(string type)
    {
        var bare = NullableOf().Match(type) is { Success: true } n ? n.Groups[1].Value : type;
        return bare switch
        {
            "System.Guid" => "Expected a uuid, e.g. 0190a6a4-8a2b-7c3d-9e4f-0123456789ab.",
            "System.DateOnly" => "Expected a date as YYYY-MM-DD, e.g. 2023-09-06.",
            "System.DateTime" or "System.DateTimeOffset" => "Expected an RFC 3339 date-time, e.g. 2023-09-08T03:00:00Z.",
            "System.Int32" or "System.Int64" or "System.Int16" => "Expected an integer.",
            "System.Single" or "System.Double" or "System.Decimal" => "Expected a number.",
            "System.Boolean" => "Expected true or false.",
            "System.String" => "Expected a string.",
            _ when bare.EndsWith("[]", StringComparison.Ordinal) || bare.Contains("List`1", StringComparison.Ordinal) => "Expected an array.",
            _ => "Expected an object.",
        };
    }

    /// <summary>"$.body[3].text" -> "body[3].text"; "$" -> "".</summary>
    private static string PathOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Parent(string path)
    {
        var cut = path.LastIndexOf('.');
        return cut < 0 ? "" : path[..cut];
    }

    private static string Join(string path, string name) =>
        path.Length == 0 ? name : path == name || path.EndsWith("." + name, StringComparison.Ordinal) ? path : $"{path}.{name}";

    [GeneratedRegex("missing required properties including: (.+?)\\.?$", RegexOptions.Singleline)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped to any .NET member contained in type '([^']+)'")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"could not be converted to ([^\s.]+(\.[^\s.]+)*(\[\])?)")]
    private static partial Regex NotConverted();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([^,\]]+)")]
    private static partial Regex NullableOf();
}
