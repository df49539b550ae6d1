namespace ContentApi.Infrastructure;

/// <summary>Shortens text without splitting a surrogate pair: a lone half is not text, and PostgreSQL refuses to store it.</summary>
public static class TextCut
{
    /// <summary>The first <paramref name="max"/> UTF-16 units of <paramref name="s"/>, one fewer when the cut would halve a pair.</summary>
    public static string Prefix(string s, int max) =>
        s.Length <= max ? s : s[..(max > 0 && char.IsHighSurrogate(s[max - 1]) ? max - 1 : max)];
}
