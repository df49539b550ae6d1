namespace ContentApi.Bench;

/// <summary>
/// ContentApi's benchmark tool. Commands:
///   seed --conn CS --articles N --out DIR [--seed 42]     migrate, then load N articles of realistic shape (binary COPY)
///   prepare --conn CS --out DIR --secret S                 id/slug/cursor/token lists for the wrk scripts, the pgbench script
///   bare-kestrel --urls URL                                ceiling (a): a fixed 1 KB JSON document, no middleware
///   bare-dapper --conn CS --urls URL                       ceiling (c): the API's get-by-slug statements through plain Dapper, no middleware
///   bare-sqljson --conn CS --urls URL --sql FILE           comparison (d): the same document built in SQL (json_agg), passed through
///   bare-document --conn CS --urls URL                     comparison (e): the contract's exact bytes built in SQL (GetDocumentAsync)
///   report --dir DIR --scale NAME --out FILE               turns the run's raw figures into the results table
///   medians --results DIR [--since UTC] [--out FILE]       medians over several runs per scale (results' JSON twins)
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: ContentApi.Bench seed|prepare|bare-kestrel|bare-dapper|report [--name value ...]");
            return 2;
        }
        var options = Options.Parse(args[1..]);
        return args[0] switch
        {
            "seed" => await Seeder.RunAsync(options),
            "prepare" => await Prepare.RunAsync(options),
            "bare-kestrel" => await Ceilings.BareKestrelAsync(options),
            "bare-dapper" => await Ceilings.BareDapperAsync(options),
            "bare-sqljson" => await Ceilings.BareSqlJsonAsync(options),
            "bare-document" => await Ceilings.BareDocumentAsync(options),
            "report" => Report.Run(options),
            "medians" => Medians.Run(options),
            _ => Unknown(args[0]),
        };
    }

    private static int Unknown(string verb)
    {
        Console.Error.WriteLine($"Unknown command '{verb}'.");
        return 2;
    }
}

public sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }
        return new Options(values);
    }

    public string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) => values.TryGetValue(name, out var v) ? ParseCount(v) : fallback;

    /// <summary>Accepts 10000, 10k, 100k, 1M.</summary>
    public static int ParseCount(string v) => v.ToLowerInvariant() switch
    {
        var s when s.EndsWith('k') => int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1000,
        var s when s.EndsWith('m') => int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1_000_000,
        var s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
    };
}
