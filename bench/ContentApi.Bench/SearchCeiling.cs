using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using Npgsql;

namespace ContentApi.Bench;

/// <summary>
/// pgbench: the statements of one ranked search page, for the search scenario's terms (search.txt), exactly as the API
/// sends them. The path a term takes (spans or weeks, how many windows, a fallback to all matches) depends on the data,
/// so rather than restate that logic here, each term is searched once through <see cref="ArticleRepository.ListAsync"/>
/// itself on a connection with <c>log_statement = all</c>, and the statements PostgreSQL logged for it (text and bound
/// parameters) become that term's branch of the script, the parameters as literals. pgbench picks a term as wrk does
/// (uniformly: one script per pair of terms, equal weights); each API round trip (the window's settings with its statement, BEGIN with
/// the first statement) is one pipeline. Prepared (-M prepared), the statements are planned once per client: that is
/// the ceiling, the API plans most of them per call.
/// </summary>
public static partial class SearchCeiling
{
    public const string Fields = "slug,title,summary,publishedAt";

    public static async Task WriteAsync(string connectionString, string outDir)
    {
        var terms = (await File.ReadAllLinesAsync(Path.Combine(outDir, "search.txt"))).Select(Uri.UnescapeDataString).ToList();
        var csb = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c log_statement=all", ApplicationName = "bench-search-capture" };
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        Database.ConfigureDataSource(builder);
        await using var capture = builder.Build();
        await using var admin = NpgsqlDataSource.Create(connectionString);
        var repo = new ArticleRepository(capture);
        var parts = ArticleRepository.PartsFor(new HashSet<string>(Fields.Split(',')));
        if (!ArticleIncludes.TryParse(null, out var include, out _)) throw new InvalidOperationException("include");

        int pid;
        await using (var c = await capture.OpenConnectionAsync()) pid = c.ProcessID;
        // One file per pair of terms (200 in the harness), all given to pgbench (-f each, equal weights: a term is picked uniformly). One
        // file of 200 \elif branches cost pgbench 4 ms of CPU per transaction (it steps through every skipped command),
        // taken from the cores PostgreSQL runs on.
        var dir = Path.Combine(outDir, "pgbench-search");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var perFile = Math.Max(1, (terms.Count + 99) / 100); // at most 100 files: pgbench takes 128 scripts
        var statements = 0;
        for (var first = 0; first < terms.Count; first += perFile)
        {
            var script = new StringBuilder();
            var count = Math.Min(perFile, terms.Count - first);
            script.Append(CultureInfo.InvariantCulture, $"\\set n random(1, {count})\n");
            for (var i = first; i < first + count; i++)
            {
                var start = await ScalarAsync<long>(admin, "select (pg_stat_file('server.log')).size");
                var filter = new ArticleFilter(null, null, null, null, null, terms[i].Trim(), null, null, null, "rank");
                await repo.ListAsync(filter, null, 20, Audience.Reader, include, parts, CancellationToken.None);
                var end = await ScalarAsync<long>(admin, "select (pg_stat_file('server.log')).size");
                var log = await ScalarAsync<string>(admin, $"select pg_read_file('server.log', {start}, {end - start})");
                var sent = Statements(log, pid);
                if (sent.Count == 0) throw new InvalidOperationException($"no statements logged for '{terms[i]}'");
                statements += sent.Count;
                script.Append(CultureInfo.InvariantCulture, $"\\{(i == first ? "if" : "elif")} :n = {i - first + 1}\n");
                foreach (var trip in RoundTrips(sent))
                    script.Append(trip.Count == 1 ? trip[0] + ";\n" : $"\\startpipeline\n{string.Join(";\n", trip)};\n\\endpipeline\n");
            }
            script.Append("\\endif\n");
            await File.WriteAllTextAsync(Path.Combine(dir, $"{first / perFile:D3}.sql"), script.ToString());
        }
        Console.Error.WriteLine($"prepare: pgbench search scripts for {terms.Count} terms, {statements} statements");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    // The statements one backend logged, in order, their parameters inlined as literals. An entry begins with the log
    // line prefix (log_line_prefix '%m [%p] '); its continuation lines begin with a tab.
    private static List<string> Statements(string log, int pid)
    {
        var entries = new List<(int Pid, string Kind, string Text)>();
        foreach (var line in log.Split('\n'))
        {
            if (EntryStart().Match(line) is { Success: true } m)
                entries.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value));
            else if (line.StartsWith('\t') && entries.Count > 0)
                entries[^1] = entries[^1] with { Text = entries[^1].Text + "\n" + line[1..] };
        }
        var result = new List<string>();
        foreach (var (p, kind, text) in entries.Where(e => e.Pid == pid))
        {
            if (kind == "LOG" && Executed().Match(text) is { Success: true } s)
                result.Add(s.Groups[1].Value.Trim().TrimEnd(';'));
            else if (kind == "DETAIL" && text.StartsWith("parameters: ", StringComparison.OrdinalIgnoreCase) && result.Count > 0)
            {
                var values = Parameters(text["parameters: ".Length..]);
                result[^1] = Placeholder().Replace(result[^1], m => values[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]);
            }
        }
        return result;
    }

    // "$1 = 'a''b', $2 = NULL": each value as a literal, quotes doubled as in SQL.
    private static Dictionary<int, string> Parameters(string text)
    {
        var values = new Dictionary<int, string>();
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf(" = ", i, StringComparison.Ordinal);
            var n = int.Parse(text[(text.IndexOf('$', i) + 1)..eq], CultureInfo.InvariantCulture);
            i = eq + 3;
            if (text[i] == '\'')
            {
                var j = i + 1;
                while (true)
                {
                    if (text[j] == '\'' && j + 1 < text.Length && text[j + 1] == '\'') j += 2;
                    else if (text[j] == '\'') break;
                    else j++;
                }
                values[n] = text[i..(j + 1)];
                i = j + 1;
            }
            else
            {
                var j = text.IndexOf(", $", i, StringComparison.Ordinal);
                values[n] = j < 0 ? text[i..] : text[i..j];
                i = j < 0 ? text.Length : j;
            }
            if (i < text.Length && text[i] == ',') i += 2;
        }
        return values;
    }

    // One API round trip each: a statement goes with the "set local" statements around it (one command text: the
    // settings it runs under first, "to default" after), BEGIN with the statement after it (Npgsql sends it with the
    // next command).
    private static List<List<string>> RoundTrips(List<string> statements)
    {
        static bool Set(string s) => s.StartsWith("set local", StringComparison.OrdinalIgnoreCase);
        static bool Restore(string s) => Set(s) && s.EndsWith("to default", StringComparison.OrdinalIgnoreCase);
        var trips = new List<List<string>>();
        foreach (var s in statements)
        {
            var last = trips.Count > 0 ? trips[^1] : null;
            var join = last is not null && (last[^1].StartsWith("begin", StringComparison.OrdinalIgnoreCase)
                || Restore(s) || (Set(last[^1]) && !Restore(last[^1])));
            if (join) last!.Add(s);
            else trips.Add([s]);
        }
        return trips;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"^(?:statement|execute [^:]+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex Executed();

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();
}
