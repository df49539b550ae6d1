using ContentApi;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Articles;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

Database.ConfigureDapper();
var connectionString = builder.Configuration.GetConnectionString("Content")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Content (env ConnectionStrings__Content).");
builder.Services.AddNpgsqlDataSource(connectionString, Database.ConfigureDataSource);
builder.Services.AddOptions<PaginationOptions>().BindConfiguration("Pagination").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<CursorCodec>();
builder.Services.AddSingleton<SourceRepository>();
builder.Services.AddSingleton<PersonRepository>();
builder.Services.AddSingleton<QuoteRepository>();
builder.Services.AddSingleton<ArticleRepository>();
builder.Services.AddSingleton<ContentApi.Samples.SampleLoader>();

builder.Services.ConfigureHttpJsonOptions(o => ContentJson.Configure(o.SerializerOptions));
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<PostgresExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddApiKeyAuth();
builder.Services.AddHealthChecks().AddNpgSql(tags: ["ready"]);
builder.Services.AddContentApiSwagger();

var app = builder.Build();

if (args.FirstOrDefault() is { } verb && !verb.StartsWith('-'))
    return await Cli.RunAsync(app, verb, args[1..]);

await Database.MigrateAsync(connectionString, app.Logger);
if (app.Configuration.GetValue<bool>("Content:LoadSample"))
    await app.Services.GetRequiredService<ContentApi.Samples.SampleLoader>().LoadAsync(CancellationToken.None);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseContentApiSwagger();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

var v1 = app.MapGroup("/v1");
v1.MapArticles();
v1.MapQuotes();
v1.MapPeople();
v1.MapSources();

app.Run();
return 0;

public partial class Program;
