using ContentApi.Articles;
using ContentApi.Infrastructure;
using Npgsql;

namespace ContentApi.Bench;

public static class Probe
{
    public static async Task<int> RunAsync(Options o)
    {
        var b = new NpgsqlDataSourceBuilder(o.Get("conn"));
        Database.ConfigureDapper();
        Console.WriteLine($"before: MaxAutoPrepare={b.ConnectionStringBuilder.MaxAutoPrepare} MinUsages={b.ConnectionStringBuilder.AutoPrepareMinUsages}");
        Database.ConfigureDataSource(b);
        Console.WriteLine($"after: MaxAutoPrepare={b.ConnectionStringBuilder.MaxAutoPrepare}");
        await using var ds = b.Build();
        Console.WriteLine(ds.ConnectionString);
        var repo = new ArticleRepository(ds);
        var inc = new HashSet<string> { "quotes", "quotes.speaker", "quotes.source", "people", "sources" };
        await using var c = await ds.OpenConnectionAsync();
        var cs = new Dapper.CommandDefinition(ArticleRepository.GetBySlugSql(Audience.Reader, inc), new { Slug = "bench-article-1" });
        for (var i = 1; i <= 10; i++)
        {
            using var g = await Dapper.SqlMapper.QueryMultipleAsync(c, cs);
            while (!g.IsConsumed) await g.ReadAsync();
        }
        await using var cmd = new NpgsqlCommand("select count(*) from pg_prepared_statements", c);
        Console.WriteLine("prepared on this connection: " + await cmd.ExecuteScalarAsync());
        return 0;
    }
}
