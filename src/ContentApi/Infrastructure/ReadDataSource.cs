using Npgsql;

namespace ContentApi.Infrastructure;

/// <summary>
/// Where a read goes. Readers' reads may be answered by a streaming standby (ConnectionStrings:ContentReplicas, with the
/// primary as the last host so they survive a dead standby); editors' reads go to the primary, where their own writes
/// are visible at once. Without replicas both are the primary.
/// </summary>
public sealed class ReadDataSource(NpgsqlDataSource primary, NpgsqlDataSource? replicas = null)
{
    /// <summary>The data source for a read on behalf of <paramref name="audience"/>.</summary>
    public NpgsqlDataSource For(Audience audience) => audience == Audience.Reader && replicas is not null ? replicas : primary;

    /// <summary>The standbys' source, or null when reads all go to the primary.</summary>
    public NpgsqlDataSource? Replicas => replicas;

    /// <summary>
    /// The replicas' connection string as Npgsql multi-host wants it: <paramref name="replicas"/> names the standbys
    /// (Host, and any setting that differs), the rest comes from the primary's; the primary's host goes last, and
    /// prefer-standby sends a read to a live standby when there is one and to the primary otherwise.
    /// </summary>
    public static string ReplicaConnectionString(string primary, string replicas)
    {
        var p = new NpgsqlConnectionStringBuilder(primary);
        var given = new NpgsqlConnectionStringBuilder(replicas);
        var r = new NpgsqlConnectionStringBuilder(primary);
        // The plain builder holds only the keys the setting names (Npgsql's knows every key).
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = replicas };
        foreach (string key in named.Keys)
            r[key] = named[key];
        string WithPort(string host, int port) => host.Contains(':') ? host : $"{host}:{port}";
        var primaryHosts = p.Host!.Split(',', StringSplitOptions.TrimEntries).Select(h => WithPort(h, p.Port)).ToList();
        r.Host = string.Join(",", given.Host!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(h => WithPort(h, given.Port)).Except(primaryHosts).Concat(primaryHosts));
        r.TargetSessionAttributes = "prefer-standby";
        return r.ConnectionString;
    }
}
