using System.Text.Json.Nodes;

namespace ContentApi.Tests.Articles;

/// <summary>Small builders and parsers the article tests share.</summary>
internal static class ArticleTestData
{
    public static DateTime WholeSeconds(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static DateTime Time(JsonNode? node) =>
        DateTime.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    public static object Paragraph(string text) => new { type = "paragraph", text };
}
