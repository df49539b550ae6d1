using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentApi.Infrastructure;

/// <summary>Turns System.Text.Json's exceptions into the field path and message a client can act on.</summary>
public static partial class JsonErrors
{
    public static (string Path, string Message) Describe(JsonException e)
    {
        var path = PathOf(e.Path);
        var message = e.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = missing.Groups[1].Value.Split(", ").Select(n => n.Trim('\'')).ToList();
            return (Join(path, names[0]), $"Required: {string.Join(", ", names)}.");
        }
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            // A block without "type" is read as the bare base type, which has no fields: name the missing type.
            if (unmapped.Groups[2].Value.EndsWith(".BodyBlock", StringComparison.Ordinal))
                return (Parent(path) is var parent && parent.Length > 0 ? parent + ".type" : "type",
                    "Each block needs a type: paragraph, heading, quote, image or embed.");
            return (path, $"Unknown field '{unmapped.Groups[1].Value}'. Read-only fields (id, version, createdAt, updatedAt) cannot be sent.");
        }
        if (message.StartsWith("Use one of: ", StringComparison.Ordinal))
            return (path, message);
        if (message.Contains("type discriminator", StringComparison.OrdinalIgnoreCase))
            return (Join(path, "type"), "Unknown block type. Use paragraph, heading, quote, image or embed.");
        return (path, "The JSON is malformed or this value has the wrong type.");
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
}
