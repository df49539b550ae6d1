using System.Text;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Infrastructure;

namespace ContentApi.Bench;

/// <summary>
/// The ceilings the API is measured against, on the same machine in the same run. No routing, no auth, no filters,
/// no logging: one request delegate on Kestrel.
/// </summary>
public static class Ceilings
{
    /// <summary>(a) The most any HTTP endpoint can do here: a fixed 1 KB JSON document.</summary>
    public static async Task<int> BareKestrelAsync(Options o)
    {
        var app = Slim(o);
        var document = FixedDocument();
        app.Run(http =>
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = document.Length;
            return http.Response.Body.WriteAsync(document).AsTask();
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// (c) The API's cold get-by-slug work with none of its features: the same data source settings, the same
    /// repository call (so the same SQL batch through Dapper), the same JSON options, written straight out.
    /// GET /v1/articles/{slug}?include=... only; everything else is a 404.
    /// </summary>
    public static async Task<int> BareDapperAsync(Options o)
    {
        var app = Slim(o);
        var dataSource = new Npgsql.NpgsqlDataSourceBuilder(o.Get("conn"));
        Database.ConfigureDapper();
        Database.ConfigureDataSource(dataSource);
        await using var ds = dataSource.Build();
        var articles = new ArticleRepository(ds);
        var json = ContentJson.Writing;
        const string Prefix = "/v1/articles/";
        app.Run(async http =>
        {
            var path = http.Request.Path.Value ?? "";
            if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !ArticleIncludes.TryParse(http.Request.Query["include"], out var include, out _))
            {
                http.Response.StatusCode = 404;
                return;
            }
            var article = await articles.GetAsync(IdOrSlug.Parse(path[Prefix.Length..]), Audience.Reader, include, http.RequestAborted);
            if (article is null)
            {
                http.Response.StatusCode = 404;
                return;
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(article, json);
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// (e) The contract's exact bytes built by PostgreSQL: ArticleRepository.GetDocumentAsync (one prepared statement,
    /// copied through JsonRecode), written straight out. GET /v1/articles/{slug}?include=... only.
    /// </summary>
    public static async Task<int> BareDocumentAsync(Options o)
    {
        var app = Slim(o);
        var dataSource = new Npgsql.NpgsqlDataSourceBuilder(o.Get("conn"));
        Database.ConfigureDataSource(dataSource);
        await using var ds = dataSource.Build();
        var articles = new ArticleRepository(ds);
        const string Prefix = "/v1/articles/";
        app.Run(async http =>
        {
            var path = http.Request.Path.Value ?? "";
            if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !ArticleIncludes.TryParse(http.Request.Query["include"], out var include, out _))
            {
                http.Response.StatusCode = 404;
                return;
            }
            var document = await articles.GetDocumentAsync(IdOrSlug.Parse(path[Prefix.Length..]), include, http.RequestAborted);
            if (document is null)
            {
                http.Response.StatusCode = 404;
                return;
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = document.Utf8Json.Length;
            await http.Response.Body.WriteAsync(document.Utf8Json, http.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// (d) The design the issue asks to compare: the whole document built by PostgreSQL (json_build_object/json_agg,
    /// bench/sql/article-json.sql, the same rows as the API's batch), prepared, written through untouched. Not the
    /// contract byte for byte (timestamps, key order of body blocks): a measure of what that design could reach.
    /// </summary>
    public static async Task<int> BareSqlJsonAsync(Options o)
    {
        var app = Slim(o);
        var dataSource = new Npgsql.NpgsqlDataSourceBuilder(o.Get("conn"));
        Database.ConfigureDataSource(dataSource);
        await using var ds = dataSource.Build();
        var sql = await File.ReadAllTextAsync(o.Get("sql"));
        const string Prefix = "/v1/articles/";
        app.Run(async http =>
        {
            var path = http.Request.Path.Value ?? "";
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                http.Response.StatusCode = 404;
                return;
            }
            await using var conn = await ds.OpenConnectionAsync(http.RequestAborted);
            await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter<string>("Slug", path[Prefix.Length..]));
            await cmd.PrepareAsync(http.RequestAborted);
            if (await cmd.ExecuteScalarAsync(http.RequestAborted) is not string json)
            {
                http.Response.StatusCode = 404;
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(json);
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }

    private static WebApplication Slim(Options o)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(o.Get("urls"));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder.Build();
    }

    /// <summary>1,024 bytes of JSON shaped like a small article.</summary>
    public static byte[] FixedDocument()
    {
        var sb = new StringBuilder("{\"id\":\"0190c0de-0000-7000-8000-000000000001\",\"slug\":\"bench-fixed\",\"title\":\"Fixed document\",\"body\":\"");
        while (sb.Length < 1024 - 2) sb.Append('x');
        sb.Append("\"}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
