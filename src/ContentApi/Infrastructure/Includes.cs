namespace ContentApi.Infrastructure;

public static class Includes
{
    public static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>Parses include=a,b.c against what the endpoint supports; unknown names are the client's error.</summary>
    public static bool TryParse(string? include, IReadOnlySet<string> allowed, out HashSet<string> result, out string? error)
    {
        result = new HashSet<string>(StringComparer.Ordinal);
        error = null;
        if (string.IsNullOrWhiteSpace(include)) return true;
        foreach (var raw in include.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!allowed.Contains(raw))
            {
                error = $"Unknown include '{raw}'. Allowed: {string.Join(", ", allowed.Order())}.";
                return false;
            }
            result.Add(raw);
            // quotes.speaker implies quotes.
            var dot = raw.IndexOf('.');
            if (dot > 0) result.Add(raw[..dot]);
        }
        return true;
    }
}
