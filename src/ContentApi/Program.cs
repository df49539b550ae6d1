using ContentApi;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Articles;
using ContentApi.Imports;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Keys;
using ContentApi.Sources;
using ContentApi.Sync;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
var verb = args.FirstOrDefault() is { } first && !first.StartsWith('-') ? first : null;
if (verb is not null)
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the verb's output

Database.ConfigureDapper();
var connectionString = builder.Configuration.GetConnectionString("Content")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Content (env ConnectionStrings__Content).");
builder.Services.AddNpgsqlDataSource(connectionString, Database.ConfigureDataSource);
builder.Services.AddOptions<PaginationOptions>().BindConfiguration("Pagination").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SearchOptions>().BindConfiguration("Search").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<CursorCodec>();
builder.Services.AddSingleton<SourceRepository>();
builder.Services.AddSingleton<PersonRepository>();
builder.Services.AddSingleton<QuoteRepository>();
builder.Services.AddSingleton<ArticleRepository>();
builder.Services.AddSingleton<ImportRepository>();
builder.Services.AddSingleton<ContentApi.Samples.SampleLoader>();
builder.Services.AddSingleton<KeyRepository>();
builder.Services.AddSingleton<ApiKeyCache>();
builder.Services.AddSingleton<SyncRepository>();
builder.Services.AddSingleton<IdempotencyRepository>();
builder.Services.AddMemoryCache();
builder.Services.AddDelivery();
builder.AddHardening();
// On SIGTERM Kestrel stops accepting, in-flight requests get this long to finish, then the process exits.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Shutdown:TimeoutSeconds", 20)));

builder.Services.ConfigureHttpJsonOptions(o => ContentJson.Configure(o.SerializerOptions));
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<PostgresExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddApiKeyAuth();
builder.Services.AddHealthChecks().AddNpgSql(tags: ["ready"]);
builder.Services.AddContentApiSwagger();
builder.Services.ConfigureSwaggerGen(o => { o.OperationFilter<ImportOperationFilter>(); o.DocumentFilter<ImportDocumentFilter>(); });

var app = builder.Build();

if (verb is not null)
    return await Cli.RunAsync(app, verb, args[1..]);

await Database.MigrateAsync(connectionString, app.Logger);
if (app.Configuration.GetValue<bool>("Content:LoadSample"))
    await app.Services.GetRequiredService<ContentApi.Samples.SampleLoader>().LoadAsync(CancellationToken.None);

app.UseExceptionHandler();
// HEAD is GET without the body (RFC 9110 9.3.2), for every GET route: same headers, same validators.
app.Use((http, next) =>
{
    if (HttpMethods.IsHead(http.Request.Method))
    {
        http.Request.Method = HttpMethods.Get;
        http.Response.Body = Stream.Null;
    }
    return next(http);
});
app.UseRouting();
app.UseStatusCodePages();
app.UseHardening();
app.UseResponseCompression();
app.UseAuthentication();
app.UseContentRateLimiter();
app.UseAuthorization();
app.UseReaderOutputCache();
app.UseContentApiSwagger();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

var v1 = app.MapGroup("/v1");
v1.MapArticles();
v1.MapQuotes();
v1.MapPeople();
v1.MapSources();
v1.MapSync();
v1.MapKeys();
v1.MapImports();

app.Run();
return 0;

public partial class Program;
