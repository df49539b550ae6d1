using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Writes;

/// <summary>
/// A write's statement batch, prepared explicitly: on a connection that ran it before, PostgreSQL neither parses nor
/// plans it again, which was a good part of a write's database time. Auto-prepare stays off (Database.ConfigureDataSource:
/// a statement failing to bind on the execution that auto-prepares it corrupts the connection), and the Parse of an
/// explicit prepare goes out alone; still, only statements whose parameters cannot fail to bind come here: text the
/// validators checked for NUL, and JSON the app serialized itself.
/// </summary>
public static class PreparedCommand
{
    /// <summary>A prepared command over <paramref name="sql"/> with one parameter per public property of each of <paramref name="args"/>.</summary>
    public static async Task<NpgsqlCommand> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params object[] args)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var a in args)
            foreach (var p in a.GetType().GetProperties())
                cmd.Parameters.Add(Parameter(p.Name, p.PropertyType, p.GetValue(a)));
        await cmd.PrepareAsync(ct);
        return cmd;
    }

    // A null still needs its type: the prepared statement is keyed by the parameters' types as well as its text.
    private static NpgsqlParameter Parameter(string name, Type type, object? value)
    {
        if (value is not null) return new NpgsqlParameter(name, value);
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return new NpgsqlParameter(name, DbType(t)) { Value = DBNull.Value };
    }

    private static NpgsqlDbType DbType(Type t) =>
        t == typeof(string) ? NpgsqlDbType.Text
        : t == typeof(DateTime) ? NpgsqlDbType.TimestampTz
        : t == typeof(Guid) ? NpgsqlDbType.Uuid
        : t == typeof(int) ? NpgsqlDbType.Integer
        : t == typeof(DateOnly) ? NpgsqlDbType.Date
        : t == typeof(byte[]) ? NpgsqlDbType.Bytea
        : t == typeof(Guid[]) ? NpgsqlDbType.Array | NpgsqlDbType.Uuid
        : t == typeof(string[]) ? NpgsqlDbType.Array | NpgsqlDbType.Text
        : throw new ArgumentException($"No PostgreSQL type for a null {t.Name}", nameof(t));
}
