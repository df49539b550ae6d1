using System.Globalization;

namespace ContentApi.Infrastructure;

public static class ETags
{
    public static string For(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// Reads the expected version from If-Match. Accepts a strong ETag of this resource: "7", or "7.abc" from a
    /// GET with includes (the part before the dot is the resource's own version). Weak tags and "*" are refused:
    /// they cannot prove the client saw the current version.
    /// </summary>
    public static bool TryParseIfMatch(string? header, out int version)
    {
        version = 0;
        if (string.IsNullOrWhiteSpace(header)) return false;
        var tag = header.Split(',')[0].Trim();
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"') return false;
        var inner = tag[1..^1];
        var dot = inner.IndexOf('.');
        if (dot >= 0) inner = inner[..dot];
        return int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
    }
}
