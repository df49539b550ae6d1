using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Bench;

/// <summary>
/// Turns one run's raw files (wrk summaries, pgbench logs, pidstat samples, VmHWM) into the results table, the
/// ratios against the ceilings and the issue's targets, and a JSON twin that later runs at other scales compare with.
/// </summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (string Name, string What)[] Scenarios =
    [
        ("ceiling-kestrel", "(a) bare Kestrel, fixed 1 KB JSON"),
        ("get-hot", "get by slug, all includes, hot (100 newest, output cache on)"),
        ("get-304", "get by slug, all includes, If-None-Match → 304 (output cache on)"),
        ("get-cold", "get by slug, all includes, cold (random published slug, output cache off)"),
        ("ceiling-dapper", "(c) bare Dapper endpoint, same statements, cold"),
        ("compare-sqljson", "(d) bare endpoint, the same document built in SQL (json_agg), cold"),
        ("ceiling-pgbench-c4", "(b) pgbench, same statements, prepared, one pipeline, 4 clients (the API's pool)"),
        ("ceiling-pgbench-c8", "(b) pgbench, same statements, prepared, one pipeline, 8 clients"),
        ("ceiling-pgbench-c32", "(b) pgbench, same statements, prepared, one pipeline, 32 clients"),
        ("compare-document", "(e) bare endpoint, the contract's exact bytes built in SQL (ArticleRepository.GetDocumentAsync), cold"),
        ("compare-pgbench-document-c4", "pgbench, the statement of (e), prepared, 4 clients"),
        ("get-cold-cache-on", "get by slug, all includes, random slug, production config (output cache on)"),
        ("list-first", "newest published, first page (20, fields= without body)"),
        ("list-deep", "newest published, deep cursor pages (20, fields=)"),
        ("quotes-by-speaker", "quotes by speaker (20)"),
        ("search", "full-text search q= over articles, ranked (20, fields=)"),
        ("sync", "sync feed from a saved token (100 changes)"),
        ("ceiling-pgbench-sync", "(b) pgbench, a sync page's statements from the same positions, 4 clients"),
        ("ceiling-pgbench-search", "(b) pgbench, a ranked search page's statements for the same terms, as the API sent them, 4 clients"),
        ("create-quote", "editor: POST /v1/quotes with Idempotency-Key"),
        ("update-article", "editor: PATCH /v1/articles/{id} with If-Match"),
        ("ceiling-pgbench-quote", "(b) pgbench, create-quote's statements (key claim, insert, revision, stored answer, NOTIFY), 4 clients"),
        ("ceiling-pgbench-update", "(b) pgbench, update-article's statements (read, update, links, revision, NOTIFY), 4 clients, own articles"),
        ("import-dry", "editor: POST /v1/imports?dryRun=true, 600-word story, 8 quotes"),
        ("import-commit", "editor: POST /v1/imports, the same story numbered anew, a draft each"),
        ("import-dry-c4", "editor: POST /v1/imports?dryRun=true as import-dry, 4 connections"),
    ];

    /// <summary>The scales in size order, and the read scenarios whose p99 growth across scales is a target.</summary>
    public static readonly string[] Scales = ["10k", "100k", "1M"];
    public static readonly string[] Reads = ["get-hot", "get-304", "get-cold", "get-cold-cache-on", "list-first", "list-deep", "quotes-by-speaker", "search", "sync"];

    public sealed record Row(string Name, double Rps, double P50, double P99, long Requests, long Non2xx, long Errors,
        double CpuServer, double CpuPostgres, double CpuLoad, double RssMb);

    public static int Run(Options o)
    {
        var dir = o.Get("dir");
        var outFile = o.Get("out");
        var env = File.ReadAllLines(Path.Combine(dir, "env.txt")).Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        var rows = new Dictionary<string, Row>();
        foreach (var (name, _) in Scenarios)
        {
            var d = Path.Combine(dir, name);
            if (Directory.Exists(d)) rows[name] = Read(name, d);
        }
        var scale = env["scale"];

        var sb = new StringBuilder();
        // The run's time, not the report's: a report can be made again later from the raw files (new comparisons).
        var ranAt = File.GetLastWriteTimeUtc(Path.Combine(dir, "env.txt"));
        sb.AppendLine(CultureInfo.InvariantCulture, $"# ContentApi benchmark, {scale} articles, {ranAt:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {env.GetValueOrDefault("cpu")}, PostgreSQL {env.GetValueOrDefault("postgres")?.Split(' ').Last()}, .NET SDK {env.GetValueOrDefault("dotnet")}, {env.GetValueOrDefault("wrk")}. Commit {env.GetValueOrDefault("commit")}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Data: {env.GetValueOrDefault("articles")} articles ({env.GetValueOrDefault("PUBLISHED")} published), {env.GetValueOrDefault("QUOTES")} quotes, {env.GetValueOrDefault("PEOPLE")} people, {env.GetValueOrDefault("SOURCES")} sources, body {env.GetValueOrDefault("BODY_BYTES_AVG")} bytes on average; database {env.GetValueOrDefault("db_size")}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Load: wrk {env.GetValueOrDefault("threads")} threads, {env.GetValueOrDefault("connections")} connections, {env.GetValueOrDefault("warmup")} s warm-up then {env.GetValueOrDefault("duration")} s measured per scenario; pgbench -M prepared, 2 threads. Whole run {env.GetValueOrDefault("total_seconds")} s (build and seed {env.GetValueOrDefault("seed_seconds")} s). Load average (1, 5, 15 min) at the start: {env.GetValueOrDefault("load_at_start")}; at the end: {env.GetValueOrDefault("load_at_end")}.{(env.TryGetValue("busy_at_end", out var busy) ? " Other test processes were running at the end: " + busy + "." : "")}");
        sb.AppendLine();
        sb.AppendLine("CPU columns: average %CPU over the measured seconds (pidstat), 100 = one core of the two; server = the process answering (API, bare server, or PostgreSQL for pgbench), load = wrk or pgbench.");
        sb.AppendLine();
        sb.AppendLine("| scenario | what | req/s | p50 ms | p99 ms | non-2xx/3xx | socket errors | CPU server | CPU postgres | CPU load | peak RSS MB |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, what) in Scenarios)
        {
            if (!rows.TryGetValue(name, out var r)) continue;
            var pg = name.StartsWith("ceiling-pgbench", StringComparison.Ordinal);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {what} | {r.Rps:F0} | {r.P50:F2} | {r.P99:F2} | {r.Non2xx} | {r.Errors} | {(pg ? "" : r.CpuServer.ToString("F0", Inv))} | {r.CpuPostgres:F0} | {r.CpuLoad:F0} | {(r.RssMb > 0 ? r.RssMb.ToString("F0", Inv) : "")} |");
        }
        sb.AppendLine();
        var rssApi = double.TryParse(env.GetValueOrDefault("rss_api"), Inv, out var a1) ? a1 : 0;
        var rssCache = double.TryParse(env.GetValueOrDefault("rss_api_cache"), Inv, out var a2) ? a2 : 0;
        if (rssApi > 0 || rssCache > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"Peak RSS (VmHWM) over the whole run: API with output cache off {rssApi / 1024:F0} MB, API with output cache on {rssCache / 1024:F0} MB.");
        if (rows.TryGetValue("compare-sqljson", out var sqlJson) && rows.TryGetValue("ceiling-dapper", out var batch))
            sb.AppendLine(CultureInfo.InvariantCulture, $"JSON built in SQL (d) against the API's batch read with Dapper and source-generated serialization (c): {sqlJson.Rps / batch.Rps:F2}× the requests/s, p99 {sqlJson.P99:F1} ms against {batch.P99:F1} ms.");
        sb.AppendLine();

        WebhookAb(sb, dir);
        SearchAb(sb, dir);
        ColdAb(sb, dir, rows);
        CacheAb(sb, dir);

        // Ratios and targets.
        Row? R(string n) => rows.GetValueOrDefault(n);
        var cold = R("get-cold");
        var pgb = new[] { R("ceiling-pgbench-c4"), R("ceiling-pgbench-c8"), R("ceiling-pgbench-c32") }.Where(x => x is not null).OrderByDescending(x => x!.Rps).FirstOrDefault();
        var kestrel = R("ceiling-kestrel");
        var dapper = R("ceiling-dapper");
        var hot = R("get-hot");
        var notModified = R("get-304");
        var targets = new List<(string Target, string Measured, bool? Met)>();
        void Ratio(string label, Row? api, Row? ceiling, double min)
        {
            if (api is null || ceiling is null) return;
            var ratio = api.Rps / ceiling.Rps;
            targets.Add(($"{label} ≥ {min:0.0#}×", $"{ratio:F2}× ({api.Rps:F0} / {ceiling.Rps:F0} req/s, {ceiling.Name})", ratio >= min));
        }
        void P99(string label, Row? api, double max)
        {
            if (api is null) return;
            targets.Add(($"{label} p99 ≤ {max:0} ms", $"{api.P99:F1} ms", api.P99 <= max));
        }
        Ratio("cold get-by-slug / pgbench (b)", cold, pgb, 0.8);
        P99("cold get-by-slug", cold, 50);
        Ratio("hot get-by-slug / bare Kestrel (a)", hot, kestrel, 0.5);
        Ratio("304 answers / bare Kestrel (a)", notModified, kestrel, 0.6);
        P99("hot get-by-slug", hot, 10);
        P99("304 answers", notModified, 10);
        P99("import dry run", R("import-dry"), 50);
        P99("import dry run, 4 connections", R("import-dry-c4"), 50);
        Ratio("cold get-by-slug / bare Dapper (c)", cold, dapper, 0.9);
        Ratio("sync / its pgbench ceiling", R("sync"), R("ceiling-pgbench-sync"), 0.7);
        Ratio("create-quote / its pgbench ceiling", R("create-quote"), R("ceiling-pgbench-quote"), 0.7);
        Ratio("update-article / its pgbench ceiling", R("update-article"), R("ceiling-pgbench-update"), 0.7);
        P99("update-article", R("update-article"), 60);
        Ratio("search / its pgbench ceiling", R("search"), R("ceiling-pgbench-search"), 0.7);
        P99("search", R("search"), 100);
        if (cold is not null)
            targets.Add(("cold get-by-slug ≥ 25× Strapi's 95 req/s (2,375)", $"{cold.Rps:F0} req/s = {cold.Rps / 95:F0}×", cold.Rps >= 25 * 95));
        var rssMax = Math.Max(rssApi, rssCache) / 1024;
        targets.Add(("peak RSS under load at 1M ≤ 300 MB", $"{rssMax:F0} MB at {scale}", scale == "1M" ? rssMax <= 300 : null));
        var nonOk = rows.Values.Where(r => !r.Name.StartsWith("ceiling-pgbench", StringComparison.Ordinal) && (r.Non2xx > 0 || r.Errors > 0)).ToList();
        targets.Add(("no non-2xx/3xx answers, no socket errors", nonOk.Count == 0 ? "none" : string.Join(", ", nonOk.Select(r => $"{r.Name}: {r.Non2xx}/{r.Errors}")), nonOk.Count == 0));

        sb.AppendLine("## Targets (issue 7)");
        sb.AppendLine();
        sb.AppendLine("| target | measured | |");
        sb.AppendLine("|---|---|---|");
        foreach (var (t, m, met) in targets)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {t} | {m} | {(met is null ? "at 1M only" : met.Value ? "met" : "**missed**")} |");
        sb.AppendLine();
        // Strapi 5 measured on this machine kind at 100k (bench/README.md, "Peers"): not re-run here, printed for scale.
        var peers = new List<string>();
        if (cold is not null) peers.Add($"the cold get is {cold.Rps / 160:F0}× Strapi 5's ~160 req/s by slug with relations");
        if (R("list-first") is { } list) peers.Add($"the first list page {list.Rps / 40:F0}× its ~40 req/s for a list page");
        if (peers.Count > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"Peers (bench/README.md): {string.Join("; ", peers)}.").AppendLine();

        // p99 growth across scales, from the JSON twins of earlier runs.
        var json = new JsonObject
        {
            ["scale"] = scale,
            ["utc"] = ranAt.ToString("O", Inv),
            ["rows"] = new JsonArray(rows.Values.Select(r => (JsonNode)JsonSerializer.SerializeToNode(r)!).ToArray()),
        };
        var resultsDir = o.Get("results", Path.GetDirectoryName(outFile)!);
        var others = Directory.Exists(resultsDir)
            ? Directory.GetFiles(resultsDir, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject())
                .Where(j => (string?)j["scale"] != scale).GroupBy(j => (string)j["scale"]!)
                .ToDictionary(g => g.Key, g => g.OrderBy(j => (string)j["utc"]!).Last())
            : [];
        if (others.Count > 0)
        {
            var scales = others.Keys.Append(scale).OrderBy(s => Array.IndexOf(Scales, s)).ToList();
            var p99 = scales.ToDictionary(s => s, s => s == scale
                ? rows.Values.ToDictionary(r => r.Name, r => r.P99)
                : others[s]["rows"]!.AsArray().ToDictionary(r => (string)r!["Name"]!, r => (double)r!["P99"]!));
            sb.AppendLine("## p99 by scale (ms; other scales from their latest results file)");
            sb.AppendLine();
            sb.AppendLine($"| scenario | {string.Join(" | ", scales)} | growth {scales[0]} → {scales[^1]} |");
            sb.AppendLine($"|---|{string.Concat(scales.Select(_ => "---:|"))}---:|");
            foreach (var name in Reads)
            {
                if (!scales.All(s => p99[s].ContainsKey(name))) continue;
                var growth = p99[scales[^1]][name] / p99[scales[0]][name];
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {string.Join(" | ", scales.Select(s => p99[s][name].ToString("F2", Inv)))} | {growth:F2}×{(growth > 1.5 ? " (**> 1.5×**)" : "")} |");
            }
            sb.AppendLine();
        }

        File.WriteAllText(outFile, sb.ToString());
        File.WriteAllText(Path.ChangeExtension(outFile, ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.Write(sb.ToString());
        return 0;
    }

    /// <summary>
    /// The search A/B (BENCH_SEARCH_AB=other ContentApi.dll): the other build and this one on the same database,
    /// alternated; per round requests/s, p99 and each process's CPU per search, and this run's search ceiling beside them.
    /// </summary>
    private static void SearchAb(StringBuilder sb, string dir)
    {
        var rounds = Directory.GetDirectories(dir).Select(Path.GetFileName)
            .Select(n => System.Text.RegularExpressions.Regex.Match(n!, "^search-(old|new)-([0-9]+)$"))
            .Where(m => m.Success).Select(m => m.Groups[2].Value).Distinct().OrderBy(int.Parse).ToList();
        if (rounds.Count == 0) return;
        var ceiling = Directory.Exists(Path.Combine(dir, "ceiling-pgbench-search")) ? Read("ceiling-pgbench-search", Path.Combine(dir, "ceiling-pgbench-search")) : null;
        sb.AppendLine("## Search A/B (issue 28 item 3: the other build against this one, same database, alternated)");
        sb.AppendLine();
        sb.AppendLine("| round | build | req/s | p99 ms | API CPU ms/search | PostgreSQL CPU ms/search | / ceiling |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var round in rounds)
            foreach (var build in (string[])["old", "new"])
            {
                var d = Path.Combine(dir, $"search-{build}-{round}");
                if (!Directory.Exists(d)) continue;
                var r = Read("search", d);
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | {build} | {r.Rps:F0} | {r.P99:F1} | {r.CpuServer * 10 / r.Rps:F2} | {r.CpuPostgres * 10 / r.Rps:F2} | {(ceiling is null ? "" : (r.Rps / ceiling.Rps).ToString("F2", Inv) + "×")} |");
            }
        var same = Path.Combine(dir, "search-ab.txt");
        if (File.Exists(same))
            sb.AppendLine(CultureInfo.InvariantCulture, $"\nSame answers (first page and the next, every term of search.txt): {File.ReadAllText(same).Trim()}.");
        if (ceiling is not null)
            sb.AppendLine(CultureInfo.InvariantCulture, $"\nCeiling (ceiling-pgbench-search): {ceiling.Rps:F0} req/s, PostgreSQL CPU {ceiling.CpuPostgres * 10 / ceiling.Rps:F2} ms per search page.");
        sb.AppendLine();
    }

    /// <summary>
    /// The cold get A/B (BENCH_BASE_DLL): another build's API and this one alternated on the same database, each with its
    /// CPU per request; the ratio is to pgbench of this build's statements (ceiling-pgbench-c4).
    /// </summary>
    private static void ColdAb(StringBuilder sb, string dir, Dictionary<string, Row> rows)
    {
        var runs = Directory.GetDirectories(dir).Select(Path.GetFileName)
            .Select(n => System.Text.RegularExpressions.Regex.Match(n!, "^get-cold-ab-(base|new)-([0-9]+)$"))
            .Where(m => m.Success).Select(m => (Build: m.Groups[1].Value, Round: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Round).ThenBy(r => r.Build).ToList();
        var ceiling = rows.GetValueOrDefault("ceiling-pgbench-c4");
        if (runs.Count > 0)
        {
            sb.AppendLine("## Cold get A/B (BENCH_BASE_DLL: another build against this one, alternated)");
            sb.AppendLine();
            sb.AppendLine("| build | round | req/s | p99 ms | API CPU µs/req | PostgreSQL CPU µs/req | / ceiling-pgbench-c4 |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (build, round) in runs)
            {
                var r = Read("get-cold", Path.Combine(dir, $"get-cold-ab-{build}-{round}"));
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {build} | {round} | {r.Rps:F0} | {r.P99:F1} | {r.CpuServer / 100 * 1e6 / r.Rps:F0} | {r.CpuPostgres / 100 * 1e6 / r.Rps:F0} | {(ceiling is null ? "" : (r.Rps / ceiling.Rps).ToString("F2", CultureInfo.InvariantCulture) + "×")} |");
            }
            sb.AppendLine();
        }
        // PostgreSQL's CPU per transaction for the batch and for the whole document in SQL: the cost the API would move.
        foreach (var name in new[] { "ceiling-pgbench-c4", "compare-pgbench-document-c4" })
            if (rows.TryGetValue(name, out var p))
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: PostgreSQL CPU {p.CpuPostgres / 100 * 1e6 / p.Rps:F0} µs per transaction.  ");
        foreach (var name in new[] { "get-cold", "ceiling-dapper", "compare-sqljson", "compare-document" })
            if (rows.TryGetValue(name, out var r))
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: server CPU {r.CpuServer / 100 * 1e6 / r.Rps:F0} µs and PostgreSQL CPU {r.CpuPostgres / 100 * 1e6 / r.Rps:F0} µs per request.  ");
        sb.AppendLine();
    }

    /// <summary>
    /// The output cache A/B (BENCH_CACHE_BASE_DLL, session 18): per round, get-hot against bare Kestrel and
    /// get-cold-cache-on against get-cold (cache off) for both builds, with the API's CPU per request.
    /// </summary>
    private static void CacheAb(StringBuilder sb, string dir)
    {
        var rounds = Directory.GetDirectories(dir).Select(Path.GetFileName)
            .Select(n => System.Text.RegularExpressions.Regex.Match(n!, "^cache-ab-kestrel-([0-9]+)$"))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();
        if (rounds.Count == 0) return;
        sb.AppendLine("## Output cache A/B (BENCH_CACHE_BASE_DLL: another build against this one, alternated)");
        sb.AppendLine();
        sb.AppendLine("| round | build | get-hot req/s, p99 ms | / Kestrel | API µs/hit | get-cold-cache-on req/s, p99 ms | / get-cold | API µs/req | PostgreSQL µs/req |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var round in rounds)
        {
            Row? Get(string name) => Directory.Exists(Path.Combine(dir, name)) ? Read(name, Path.Combine(dir, name)) : null;
            var kestrel = Get($"cache-ab-kestrel-{round}");
            var off = Get($"cache-ab-off-{round}");
            foreach (var build in new[] { "base", "new" })
            {
                var hot = Get($"cache-ab-hot-{build}-{round}");
                var cold = Get($"cache-ab-cold-{build}-{round}");
                if (hot is null || cold is null || kestrel is null || off is null) continue;
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | {build} | {hot.Rps:F0}, {hot.P99:F1} | {hot.Rps / kestrel.Rps:F2}× | {hot.CpuServer / 100 * 1e6 / hot.Rps:F1} | {cold.Rps:F0}, {cold.P99:F1} | {cold.Rps / off.Rps:F2}× | {cold.CpuServer / 100 * 1e6 / cold.Rps:F0} | {cold.CpuPostgres / 100 * 1e6 / cold.Rps:F0} |");
            }
            if (kestrel is not null && off is not null)
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | ceilings | Kestrel {kestrel.Rps:F0} | | | get-cold {off.Rps:F0}, {off.P99:F1} | | {off.CpuServer / 100 * 1e6 / off.Rps:F0} | {off.CpuPostgres / 100 * 1e6 / off.Rps:F0} |");
        }
        sb.AppendLine();
    }

    /// <summary>The webhook A/B (BENCH_WEBHOOK=1): each write scenario without and with one subscription, per round, and the geometric mean of the ratios.</summary>
    private static void WebhookAb(StringBuilder sb, string dir)
    {
        var runs = Directory.GetDirectories(dir).Select(Path.GetFileName)
            .Select(n => System.Text.RegularExpressions.Regex.Match(n!, "^(create-quote|update-article)-(off|hook)-([0-9]+)$"))
            .Where(m => m.Success).ToLookup(m => m.Groups[1].Value);
        if (runs.Count == 0) return;
        sb.AppendLine("## Webhooks A/B (issue 26: with one active subscription at most 10 % lost)");
        sb.AppendLine();
        sb.AppendLine("| scenario | round | off req/s, p99 ms | hook req/s, p99 ms | hook/off |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var scenario in runs)
        {
            var logSum = 0.0;
            var n = 0;
            foreach (var round in scenario.Select(m => m.Groups[3].Value).Distinct().OrderBy(int.Parse))
            {
                var off = Path.Combine(dir, $"{scenario.Key}-off-{round}");
                var hook = Path.Combine(dir, $"{scenario.Key}-hook-{round}");
                if (!Directory.Exists(off) || !Directory.Exists(hook)) continue;
                var (a, b) = (Read(scenario.Key, off), Read(scenario.Key, hook));
                logSum += Math.Log(b.Rps / a.Rps);
                n++;
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {scenario.Key} | {round} | {a.Rps:F0}, {a.P99:F1} | {b.Rps:F0}, {b.P99:F1} | {b.Rps / a.Rps:F2}× |");
            }
            if (n > 0)
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {scenario.Key} | geometric mean | | | **{Math.Exp(logSum / n):F2}×** |");
        }
        sb.AppendLine();
    }

    private static Row Read(string name, string dir)
    {
        double rps, p50, p99;
        long requests, non2xx = 0, errors = 0;
        var wrkJson = Path.Combine(dir, "wrk.json");
        if (File.Exists(wrkJson))
        {
            var j = JsonNode.Parse(File.ReadAllText(wrkJson))!;
            requests = (long)j["requests"]!;
            rps = requests / ((double)j["duration_us"]! / 1e6);
            p50 = (double)j["p50_us"]! / 1000;
            p99 = (double)j["p99_us"]! / 1000;
            non2xx = (long)j["non2xx3xx"]!;
            errors = (long)j["connect"]! + (long)j["read"]! + (long)j["write"]! + (long)j["timeout"]!;
        }
        else
        {
            // pgbench: tps from its summary, latencies from the per-transaction log (microseconds in field 3).
            var text = File.ReadAllText(Path.Combine(dir, "pgbench.txt"));
            var tpsLine = text.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
            rps = double.Parse(tpsLine.Split(' ')[2], Inv);
            var lat = Directory.GetFiles(dir, "pgbench.*").Where(f => !f.EndsWith(".txt", StringComparison.Ordinal))
                .SelectMany(File.ReadLines).Select(l => l.Split(' ')).Where(f => f.Length >= 6)
                .Select(f => double.Parse(f[2], Inv) / 1000).Order().ToArray();
            requests = lat.Length;
            p50 = lat.Length > 0 ? lat[(int)(lat.Length * 0.50)] : 0;
            p99 = lat.Length > 0 ? lat[Math.Min(lat.Length - 1, (int)(lat.Length * 0.99))] : 0;
            var failed = text.Split('\n').FirstOrDefault(l => l.StartsWith("number of failed transactions", StringComparison.Ordinal));
            if (failed is not null) non2xx = long.Parse(failed.Split(':')[1].Trim().Split(' ')[0], Inv);
        }

        // pidstat -h: "Time UID PID %usr %system %guest %wait %CPU CPU Command", one line per process per second.
        var groups = File.ReadAllLines(Path.Combine(dir, "pids.txt")).Select(l => l.Split(' '))
            .Where(p => p.Length == 2).GroupBy(p => p[1]).ToDictionary(g => g.Key, g => g.First()[0]);
        var samples = new HashSet<string>();
        var cpu = new Dictionary<string, double> { ["server"] = 0, ["postgres"] = 0, ["load"] = 0 };
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "pidstat.txt")))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || line.StartsWith('#') || !long.TryParse(f[2], out _) || !double.TryParse(f[7], Inv, out _)) continue;
            samples.Add(f[0]);
            if (groups.TryGetValue(f[2], out var g)) cpu[g] += double.Parse(f[7], Inv);
        }
        var n = Math.Max(1, samples.Count);
        var rss = File.Exists(Path.Combine(dir, "rss.txt"))
            ? File.ReadAllLines(Path.Combine(dir, "rss.txt")).Where(l => l.StartsWith("VmHWM", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024).FirstOrDefault()
            : 0;
        var isPg = name.StartsWith("ceiling-pgbench", StringComparison.Ordinal);
        return new Row(name, rps, p50, p99, requests, non2xx, errors,
            isPg ? cpu["postgres"] / n : cpu["server"] / n, cpu["postgres"] / n, cpu["load"] / n, rss);
    }
}
