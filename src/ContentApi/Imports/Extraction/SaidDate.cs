using System.Globalization;
using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

/// <summary>
/// When an attribution says the words were said ("pada Senin", "Senin (6/5)", "kemarin", "6 Mei 2024", "on Monday",
/// "last Tuesday", "on May 6"): found in the attribution's text, resolved against the story's date. Week-level and vaguer
/// phrases ("pekan lalu", "last week") name no day, so the story's date stands.
/// </summary>
public static partial class SaidDate
{
    /// <summary>The first time expression of an attribution that names a day, or null.</summary>
    public static string? Find(string attribution)
    {
        // "Budi, yang dilantik pada 1 Mei, ...", "since Monday": a date inside a relative clause or a "since" is another event's.
        var text = OtherEvent().Replace(attribution, " ");
        foreach (var m in new[] { DayMonth().Match(text), MonthDay().Match(text), WeekdayDate().Match(text) })
            if (m.Success) return m.Value;
        foreach (Match m in Weekday().Matches(text))
        {
            // "Minggu lalu" opening a phrase is "last week" as often as "last Sunday": vague, unless "pada"/"hari" makes it a day.
            if (m.Groups["wd"].Value == "Minggu" && m.Groups["prep"].Length == 0 && m.Groups["last"].Success) continue;
            return m.Value;
        }
        var yesterday = Yesterday().Match(text);
        return yesterday.Success ? yesterday.Value : null;
    }

    /// <summary>
    /// The day an expression from <see cref="Find"/> names, on or before the story's date: a weekday is the latest such day
    /// on or before it ("lalu", "kemarin" and "last" mean strictly before); a day and month without a year take the story's
    /// year, or the year before when that would be after the story. Null when it names no valid day on or before the story.
    /// </summary>
    public static DateOnly? Resolve(string expression, DateOnly storyDate)
    {
        if (DayMonth().Match(expression) is { Success: true } dm)
            return OnOrBefore(Int(dm.Groups["d"]), Month(dm.Groups["m"].Value), Year(dm.Groups["y"]), storyDate);
        if (MonthDay().Match(expression) is { Success: true } md)
            return OnOrBefore(Int(md.Groups["d"]), Month(md.Groups["m"].Value), Year(md.Groups["y"]), storyDate);
        if (WeekdayDate().Match(expression) is { Success: true } wdd)
            return OnOrBefore(Int(wdd.Groups["d"]), Int(wdd.Groups["m"]), Year(wdd.Groups["y"]), storyDate);
        if (Weekday().Match(expression) is { Success: true } w)
        {
            var day = Weekdays[w.Groups["wd"].Value.Replace("'", "")];
            var back = ((int)storyDate.DayOfWeek - (int)day + 7) % 7;
            var strictlyBefore = w.Groups["last"].Success || w.Groups["prep"].Value.StartsWith("last", StringComparison.OrdinalIgnoreCase)
                                 || w.Groups["prep"].Value.StartsWith("this", StringComparison.OrdinalIgnoreCase);
            if (back == 0 && strictlyBefore) back = 7;
            return storyDate.AddDays(-back);
        }
        if (Yesterday().Match(expression) is { Success: true } y)
            return storyDate.AddDays(y.Groups["two"].Success ? -2 : -1);
        return null;
    }

    private static DateOnly? OnOrBefore(int day, int month, int? year, DateOnly storyDate)
    {
        if (month is < 1 or > 12 || day < 1) return null;
        foreach (var y in year is { } given ? [given] : new[] { storyDate.Year, storyDate.Year - 1 })
            if (y is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(y, month) && new DateOnly(y, month, day) is var date && date <= storyDate)
                return date;
        return null;
    }

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    private static int? Year(Group g) => !g.Success ? null : g.Value.Length == 2 ? 2000 + Int(g) : Int(g);

    private static int Month(string name)
    {
        var key = name.TrimEnd('.').ToLowerInvariant();
        return Months.TryGetValue(key, out var m) ? m : Months.FirstOrDefault(p => p.Key.StartsWith(key, StringComparison.Ordinal) && key.Length >= 3).Value;
    }

    private static readonly Dictionary<string, int> Months = new()
    {
        ["januari"] = 1, ["februari"] = 2, ["maret"] = 3, ["april"] = 4, ["mei"] = 5, ["juni"] = 6, ["juli"] = 7, ["agustus"] = 8,
        ["september"] = 9, ["oktober"] = 10, ["november"] = 11, ["desember"] = 12, ["january"] = 1, ["february"] = 2, ["march"] = 3,
        ["may"] = 5, ["june"] = 6, ["july"] = 7, ["august"] = 8, ["october"] = 10, ["december"] = 12, ["agt"] = 8, ["agu"] = 8,
        ["okt"] = 10, ["des"] = 12,
    };

    private static readonly Dictionary<string, DayOfWeek> Weekdays = new()
    {
        ["Senin"] = DayOfWeek.Monday, ["Selasa"] = DayOfWeek.Tuesday, ["Rabu"] = DayOfWeek.Wednesday, ["Kamis"] = DayOfWeek.Thursday,
        ["Jumat"] = DayOfWeek.Friday, ["Sabtu"] = DayOfWeek.Saturday, ["Minggu"] = DayOfWeek.Sunday,
        ["Monday"] = DayOfWeek.Monday, ["Tuesday"] = DayOfWeek.Tuesday, ["Wednesday"] = DayOfWeek.Wednesday, ["Thursday"] = DayOfWeek.Thursday,
        ["Friday"] = DayOfWeek.Friday, ["Saturday"] = DayOfWeek.Saturday, ["Sunday"] = DayOfWeek.Sunday,
    };

    private const string MonthNames =
        "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
        + "|January|February|March|May|June|July|August|October|December"
        + @"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Agu\.?|Agt\.?|Sept?\.?|Oct\.?|Okt\.?|Nov\.?|Dec\.?|Des\.?";

    private const string WeekdayNames = "Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

    [GeneratedRegex(@"(?<![\p{L}\d])(?<d>\d{1,2})\s+(?<m>" + MonthNames + @")(?![\p{L}])(?:\s+(?<y>\d{4})(?!\d))?")] private static partial Regex DayMonth();
    [GeneratedRegex(@"(?<![\p{L}\d])(?<m>" + MonthNames + @")\s+(?<d>\d{1,2})(?:st|nd|rd|th)?(?![\p{L}\d])(?:,?\s+(?<y>\d{4})(?!\d))?")] private static partial Regex MonthDay();
    [GeneratedRegex(@"(?<![\p{L}])(?:" + WeekdayNames + @")\s*(?:,\s*)?\((?<d>\d{1,2})/(?<m>\d{1,2})(?:/(?<y>\d{4}|\d{2}))?\)")] private static partial Regex WeekdayDate();
    [GeneratedRegex(@"(?<![\p{L}])(?:[Kk]emarin(?<two>\s+lusa)?|[Yy]esterday)(?![\p{L}])")] private static partial Regex Yesterday();
    [GeneratedRegex(@"(?<![\p{L}])(?<!(?:next|coming)\s)(?:(?<prep>(?:[Pp]ada\s+)?[Hh]ari|[Pp]ada|[Oo]n|[Ll]ast|[Tt]his\s+past)\s+)?(?<wd>Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![\p{L}])(?!\s+(?:depan|mendatang|nanti))(?:\s+(?<last>lalu|kemarin))?")] private static partial Regex Weekday();
    [GeneratedRegex(@"(?<![\p{L}])(?:yang|who|which|sejak|since|hingga|until|sampai)(?![\p{L}])[^,.;]*", RegexOptions.IgnoreCase)] private static partial Regex OtherEvent();
}
