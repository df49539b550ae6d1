using System.Reflection;
using Dapper;
using DbUp;
using Npgsql;

namespace ContentApi.Infrastructure;

public static class Database
{
    // Any fixed number: every instance of the app agrees on it, so only one migrates at a time.
    private const long MigrationLockKey = 0x436f6e74656e74; // "Content"

    /// <summary>Process-wide Dapper setting: snake_case columns bind to PascalCase members.</summary>
    public static void ConfigureDapper()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public static void ConfigureDataSource(NpgsqlDataSourceBuilder builder)
    {
        // Lets the exception handler name the missing or still-used row; never sent to clients raw.
        builder.ConnectionStringBuilder.IncludeErrorDetail = true;
        // No auto-prepare unless the connection string asks for it (Max Auto Prepare): with Npgsql 10.0.3, a statement
        // that fails while its parameters are bound (22021 NUL in text, 22001) on the very execution that auto-prepares
        // it corrupts that connection's prepared statements, and the next run of the same SQL there fails with
        // "Received unexpected backend message DataRow": a 500 on a valid request. docs/reliability.md has the repro.

        // A few busy connections beat many: two per core keep the cores busy, while with more the scheduler preempts
        // backends mid-statement and the tail grows (bench/README.md). 100 is Npgsql's default: only an unset size changes.
        if (builder.ConnectionStringBuilder.MaxPoolSize == 100)
            builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(4, 2 * Environment.ProcessorCount);
        // The app never changes session state on pooled connections (no SET, LISTEN, temp tables or advisory locks:
        // MigrateAsync locks on a connection of its own), so the reset Npgsql otherwise prepends to the next command
        // after every return to the pool (RESET ALL, CLOSE ALL, UNLISTEN, advisory unlock, DISCARD ...) is pure cost.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
    }

    /// <summary>
    /// One result set of a prepared command's reader through Dapper's row mapping, then on to the next set (Dapper
    /// cannot prepare, so explicitly prepared statements are read this way).
    /// </summary>
    public static async Task<IEnumerable<T>> ReadSetAsync<T>(NpgsqlDataReader reader, CancellationToken ct)
    {
        var list = new List<T>();
        var parse = reader.GetRowParser<T>();
        while (await reader.ReadAsync(ct)) list.Add(parse(reader));
        await reader.NextResultAsync(ct);
        return list;
    }

    /// <summary>Applies the embedded db/migrations scripts in order, journaled, under an advisory lock.</summary>
    public static async Task MigrateAsync(string connectionString, ILogger logger, CancellationToken ct = default)
    {
        try
        {
            EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created the database a moment ago: exactly what we wanted.
        }
        await using (var lockConn = new NpgsqlConnection(connectionString))
        {
            await lockConn.OpenAsync(ct);
            await using (var cmd = new NpgsqlCommand("select pg_advisory_lock(@k)", lockConn))
            {
                cmd.Parameters.AddWithValue("k", MigrationLockKey);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            try
            {
                var upgrader = DeployChanges.To
                    .PostgresqlDatabase(connectionString)
                    .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(),
                        name => name.StartsWith("migrations.", StringComparison.Ordinal))
                    .JournalToPostgresqlTable("public", "schema_migrations")
                    .WithTransactionPerScript()
                    .LogTo(new DbUpLogger(logger))
                    .Build();
                var result = upgrader.PerformUpgrade();
                if (!result.Successful)
                    throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@k)", lockConn);
                unlock.Parameters.AddWithValue("k", MigrationLockKey);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        // Types created by migrations (extensions, domains) must be seen by pooled connections.
        NpgsqlConnection.ClearAllPools();
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = System.Data.DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new InvalidCastException($"Cannot convert {value.GetType()} to DateOnly."),
        };
    }

    private sealed class DbUpLogger(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(format, args));
    }
}
