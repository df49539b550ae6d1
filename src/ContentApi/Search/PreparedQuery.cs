using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace ContentApi.Search;

/// <summary>
/// A search statement run prepared, explicitly, as the get path's batch is (auto-prepare stays off: see
/// Infrastructure/Database.cs): on a connection that ran it before, PostgreSQL neither parses nor plans it again. Only
/// statements whose parameters cannot fail to bind come here: the search text and tags are clean text (Validation/Rules
/// IsSearch, IsCleanText), the rest ids, numbers, instants and text PostgreSQL printed itself.
/// </summary>
public static partial class PreparedQuery
{
    // Explicitly prepared statements stay on their connection until it closes (Npgsql evicts only automatic ones), and
    // a page's text varies with the filters, fields and includes asked for: past this many texts a process runs the
    // new ones unprepared, so no request can grow a connection's statements without bound.
    private const int MaxTexts = 256;
    private static readonly ConcurrentDictionary<string, byte> Texts = new();

    /// <summary>
    /// Runs <paramref name="sql"/> planned once, generically: the caller vouches that its plan cannot depend on the
    /// parameters' values (its shape is fixed by the SQL or the settings that go with it), and writes what a generic
    /// plan needs (each tsquery as a subselect, <see cref="FullText"/>). Sent with the statement in one round trip.
    /// </summary>
    public static string Generic(string sql) =>
        "set local plan_cache_mode = force_generic_plan;\n" + sql + ";\nset local plan_cache_mode to default";

    /// <summary>
    /// Whether every parameter <paramref name="sql"/> names was added to <paramref name="args"/> by name, so that it can be
    /// prepared here (lists whose repositories pass a template run their statements through Dapper, unprepared).
    /// </summary>
    public static bool Covers(string sql, DynamicParameters args) =>
        ParameterName().Matches(sql).All(m => args.ParameterNames.Contains(m.Groups[1].Value));

    /// <summary>
    /// A command over <paramref name="sql"/>, prepared (within <see cref="MaxTexts"/>), with the parameters of
    /// <paramref name="args"/> that the SQL names; they must have been added by name (a template's values cannot be read back).
    /// </summary>
    public static async Task<NpgsqlCommand> CreateAsync(NpgsqlConnection conn, string sql, DynamicParameters args, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        foreach (var name in ParameterName().Matches(sql).Select(m => m.Groups[1].Value).Distinct())
            cmd.Parameters.Add(args.ParameterNames.Contains(name)
                ? new NpgsqlParameter(name, args.Get<object?>(name) ?? DBNull.Value)
                : throw new InvalidOperationException($"@{name} is not among the parameters added by name."));
        // The Parse goes out alone, once per physical connection (as for GetAsync's batch); later calls cost nothing.
        if (Texts.ContainsKey(sql) || (Texts.Count < MaxTexts && Texts.TryAdd(sql, 0)))
            await cmd.PrepareAsync(ct);
        return cmd;
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
