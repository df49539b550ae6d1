namespace ContentApi.Tests.Reliability;

public static class Text
{
    public static string Shorten(string s, int max = 300) => s.Length <= max ? s : s[..max] + $"...({s.Length} chars)";
}
