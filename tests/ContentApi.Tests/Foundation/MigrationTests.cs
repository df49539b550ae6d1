using ContentApi.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_ApplyToEmptyDatabase_AndAreANoOpTheSecondTime()
    {
        var cs = TestDatabase.CreateConnectionString("contentapi_migrate");
        try
        {
            await Database.MigrateAsync(cs, NullLogger.Instance);
            var first = await JournalAsync(cs);
            Assert.NotEmpty(first);
            Assert.Contains(first, name => name.EndsWith("0001_init.sql", StringComparison.Ordinal));
            Assert.Equal(5, await ScalarAsync<long>(cs, "select count(*) from information_schema.tables where table_name in ('articles','quotes','people','sources','article_quotes')"));

            await Database.MigrateAsync(cs, NullLogger.Instance);
            Assert.Equal(first, await JournalAsync(cs));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Migrations_FromTwoInstancesAtOnce_ApplyEachScriptOnce()
    {
        var cs = TestDatabase.CreateConnectionString("contentapi_migrate");
        try
        {
            await Task.WhenAll(
                Task.Run(() => Database.MigrateAsync(cs, NullLogger.Instance)),
                Task.Run(() => Database.MigrateAsync(cs, NullLogger.Instance)));
            var journal = await JournalAsync(cs);
            Assert.Equal(journal.Distinct().Count(), journal.Count);
            var scripts = typeof(Program).Assembly.GetManifestResourceNames().Count(n => n.StartsWith("migrations.", StringComparison.Ordinal));
            Assert.Equal(scripts, journal.Count);
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task IndexExpressions_Evaluate_UnderTheSearchPathOfAutovacuum()
    {
        // Autovacuum's ANALYZE (and, from PostgreSQL 17, every VACUUM, ANALYZE and REINDEX) evaluates index expressions
        // with search_path = pg_catalog: a function that calls another of ours by name fails there, and articles were
        // then never analyzed automatically. REINDEX evaluates every expression for every row.
        var cs = TestDatabase.CreateConnectionString("contentapi_migrate");
        try
        {
            await Database.MigrateAsync(cs, NullLogger.Instance);
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using (var insert = new NpgsqlCommand("""
                insert into people (id, slug, name, aliases) values (gen_random_uuid(), 'budi', 'Budi Gunadi Sadikin', '{Budi}');
                insert into articles (id, slug, title, language, status, published_at, body)
                values (gen_random_uuid(), 'juara', 'Juara dunia', 'id', 'published', now(), '[{"type":"paragraph","text":"Menteri berkata"}]');
                """, conn))
                await insert.ExecuteNonQueryAsync();
            await using var maintain = new NpgsqlCommand("""
                set search_path = pg_catalog;
                reindex table public.articles;
                reindex table public.people;
                analyze public.articles;
                reset search_path;
                """, conn);
            await maintain.ExecuteNonQueryAsync();
            Assert.Equal(1L, await ScalarAsync<long>(cs,
                "select count(*) from articles a where search_weekly(a.search, a.published_at) @@ (search_week(now()) || '/juara')::tsquery"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    private static async Task<List<string>> JournalAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select scriptname from schema_migrations order by schemaversionsid", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
