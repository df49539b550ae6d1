using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContentApi.Bench;

/// <summary>
/// Several runs per scale, summed up: the median of each scenario's requests/s and p99, the median of each run's own
/// ratios (a ratio is only ever taken between scenarios of one run), and p99 growth between the smallest and the
/// largest scale from the medians. One 15-second run's p99 on this shared machine moves by more than the growth target.
/// </summary>
public static class Medians
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Result(string Scale, string Utc, Dictionary<string, Report.Row> Rows);

    public static int Run(Options o)
    {
        var since = o.Get("since", "");
        var runs = Directory.GetFiles(o.Get("results"), "*.json")
            .Select(f => JsonSerializer.Deserialize<JsonRun>(File.ReadAllText(f))!)
            .Where(j => string.CompareOrdinal(j.utc, since) >= 0)
            .Select(j => new Result(j.scale, j.utc, j.rows.ToDictionary(r => r.Name)))
            .OrderBy(r => Array.IndexOf(Report.Scales, r.Scale)).ThenBy(r => r.Utc, StringComparer.Ordinal)
            .ToList();
        var scales = runs.Select(r => r.Scale).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"# Medians of {runs.Count} runs since {since}");
        sb.AppendLine();
        sb.AppendLine(string.Join(", ", scales.Select(s => $"{s}: {runs.Count(r => r.Scale == s)} runs ({string.Join(", ", runs.Where(r => r.Scale == s).Select(r => r.Utc[11..16]))} UTC)")) + ".");
        sb.AppendLine();

        sb.AppendLine($"| scenario | {string.Join(" | ", scales.Select(s => $"{s} req/s | {s} p99 ms"))} |");
        sb.AppendLine($"|---|{string.Concat(scales.Select(_ => "---:|---:|"))}");
        foreach (var name in runs.SelectMany(r => r.Rows.Keys).Distinct())
            sb.AppendLine(Inv, $"| {name} | {string.Join(" | ", scales.Select(s => Cell(runs, s, name)))} |");
        sb.AppendLine();

        sb.AppendLine("Ratios, each taken within one run, then the median over the runs (each run's value in brackets):");
        sb.AppendLine();
        sb.AppendLine($"| ratio | target | {string.Join(" | ", scales)} |");
        sb.AppendLine($"|---|---:|{string.Concat(scales.Select(_ => "---|"))}");
        Ratio(sb, runs, scales, "cold / pgbench (b)", "≥ 0.8×", r => Div(r, "get-cold", Best(r, "ceiling-pgbench-c4", "ceiling-pgbench-c8", "ceiling-pgbench-c32")));
        Ratio(sb, runs, scales, "cold / bare Dapper (c)", "≥ 0.9×", r => Div(r, "get-cold", "ceiling-dapper"));
        Ratio(sb, runs, scales, "hot / bare Kestrel (a)", "≥ 0.5×", r => Div(r, "get-hot", "ceiling-kestrel"));
        Ratio(sb, runs, scales, "304 / bare Kestrel (a)", "≥ 0.6×", r => Div(r, "get-304", "ceiling-kestrel"));
        sb.AppendLine();

        // Issue 28's goals: ratios within each run as above; absolute figures (req/s, p99) are the medians of the table.
        sb.AppendLine("Issue 28's ratios, the same way:");
        sb.AppendLine();
        sb.AppendLine($"| ratio | target | {string.Join(" | ", scales)} |");
        sb.AppendLine($"|---|---:|{string.Concat(scales.Select(_ => "---|"))}");
        Ratio(sb, runs, scales, "cold / pgbench c4", "≥ 0.8×", r => Div(r, "get-cold", "ceiling-pgbench-c4"));
        Ratio(sb, runs, scales, "cold, cache on / cold", "≥ 1.0×", r => Div(r, "get-cold-cache-on", "get-cold"));
        Ratio(sb, runs, scales, "hot / bare Kestrel (a), issue 28", "≥ 0.55×", r => Div(r, "get-hot", "ceiling-kestrel"));
        Ratio(sb, runs, scales, "update-article / its ceiling", "≥ 0.7×", r => Div(r, "update-article", "ceiling-pgbench-update"));
        Ratio(sb, runs, scales, "create-quote / its ceiling", "≥ 0.7×", r => Div(r, "create-quote", "ceiling-pgbench-quote"));
        Ratio(sb, runs, scales, "sync / its ceiling", "≥ 0.7×", r => Div(r, "sync", "ceiling-pgbench-sync"));
        Ratio(sb, runs, scales, "search / its ceiling", "≥ 0.7×", r => Div(r, "search", "ceiling-pgbench-search"));
        sb.AppendLine();
        sb.AppendLine("Issue 28's absolute goals, medians: get-cold p99 ≤ 15 ms at 100k; update-article ≥ 578 req/s, p99 ≤ 60 ms; "
            + "sync ≥ 471 req/s, p99 ≤ 80 ms; search p99 ≤ 100 ms at 100k and 1M.");
        sb.AppendLine();

        if (scales.Count > 1)
        {
            var (first, last) = (scales[0], scales[^1]);
            sb.AppendLine(Inv, $"p99 growth {first} → {last}, median against median (target ≤ 1.5×):");
            sb.AppendLine();
            sb.AppendLine($"| scenario | {first} p99 ms | {last} p99 ms | growth |");
            sb.AppendLine("|---|---:|---:|---:|");
            foreach (var name in Report.Reads)
            {
                var (a, b) = (Median(runs, first, name, r => r.P99), Median(runs, last, name, r => r.P99));
                if (a is null || b is null) continue;
                var growth = b.Value / a.Value;
                sb.AppendLine(Inv, $"| {name} | {a:F1} | {b:F1} | {growth:F2}×{(growth > 1.5 ? " (**> 1.5×**)" : "")} |");
            }
        }
        var outFile = o.Get("out", "");
        if (outFile.Length > 0) File.WriteAllText(outFile, sb.ToString());
        Console.Write(sb.ToString());
        return 0;
    }

    private static string Cell(List<Result> runs, string scale, string name) =>
        Median(runs, scale, name, r => r.Rps) is { } rps ? $"{rps:F0} | {Median(runs, scale, name, r => r.P99):F1}" : " | ";

    private static double? Median(List<Result> runs, string scale, string name, Func<Report.Row, double> value) =>
        MedianOf(runs.Where(r => r.Scale == scale && r.Rows.ContainsKey(name)).Select(r => value(r.Rows[name])).ToList());

    private static double? MedianOf(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string? Best(Result r, params string[] names) =>
        names.Where(r.Rows.ContainsKey).OrderByDescending(n => r.Rows[n].Rps).FirstOrDefault();

    private static double? Div(Result r, string api, string? ceiling) =>
        ceiling is not null && r.Rows.TryGetValue(api, out var a) && r.Rows.TryGetValue(ceiling, out var c) ? a.Rps / c.Rps : null;

    private static void Ratio(StringBuilder sb, List<Result> runs, List<string> scales, string label, string target, Func<Result, double?> ratio)
    {
        var cells = scales.Select(s =>
        {
            var each = runs.Where(r => r.Scale == s).Select(ratio).OfType<double>().ToList();
            return MedianOf([.. each]) is { } m ? $"{m:F2}× ({string.Join(", ", each.Select(v => v.ToString("F2", Inv)))})" : "";
        });
        sb.AppendLine(Inv, $"| {label} | {target} | {string.Join(" | ", cells)} |");
    }

    private sealed record JsonRun(string scale, string utc, List<Report.Row> rows);
}
