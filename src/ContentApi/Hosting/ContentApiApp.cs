using ContentApi.Articles;
using ContentApi.Auth;
using ContentApi.Delivery;
using ContentApi.Imports;
using ContentApi.Infrastructure;
using ContentApi.Keys;
using ContentApi.Observability;
using ContentApi.OpenApi;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Revisions;
using ContentApi.Search;
using ContentApi.Sources;
using ContentApi.Sync;
using ContentApi.Webhooks;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ContentApi.Hosting;

/// <summary>The app's composition: services, the middleware pipeline in its order, and the routes.</summary>
public static class ContentApiApp
{
    private const string ReplicasKey = "replicas";

    /// <summary>The verb of a command-line run ("migrate", "keys", ...), or null when the app serves HTTP.</summary>
    public static string? VerbOf(string[] args) => args.FirstOrDefault() is { } first && !first.StartsWith('-') ? first : null;

    public static WebApplicationBuilder AddContentApi(this WebApplicationBuilder builder, string? verb)
    {
        if (verb is not null)
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the verb's output

        Database.ConfigureDapper();
        var connectionString = builder.Configuration.GetConnectionString("Content")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Content (env ConnectionStrings__Content).");
        var services = builder.Services;
        services.AddNpgsqlDataSource(connectionString, Database.ConfigureDataSource);
        var replicas = builder.Configuration.GetConnectionString("ContentReplicas");
        if (!string.IsNullOrWhiteSpace(replicas))
            services.AddNpgsqlDataSource(ReadDataSource.ReplicaConnectionString(connectionString, replicas), Database.ConfigureDataSource, serviceKey: ReplicasKey);
        else
            replicas = null;
        services.AddSingleton(sp => new ReadDataSource(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            replicas is null ? null : sp.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(ReplicasKey)));
        services.AddOptions<PaginationOptions>().BindConfiguration("Pagination").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PaginationOptions>, CursorSecretValidator>();
        services.AddOptions<SearchOptions>().BindConfiguration("Search").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CursorCodec>();
        services.AddSingleton<SourceRepository>();
        services.AddSingleton<PersonRepository>();
        services.AddSingleton<QuoteRepository>();
        services.AddSingleton<ArticleRepository>();
        services.AddSingleton<ImportRepository>();
        services.AddSingleton<SampleLoader>();
        services.AddSingleton<KeyRepository>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<SyncRepository>();
        services.AddSingleton<IdempotencyRepository>();
        services.AddOptions<IdempotencyOptions>().BindConfiguration("Idempotency").ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<IdempotencyPurge>();
        ConflictRetryFilter.AddConflictRetries(services);
        services.AddRevisions();
        builder.AddKeyRing();
        services.AddWebhooks();
        services.AddMemoryCache();
        services.AddDelivery(builder.Configuration.GetConnectionString("Redis"));
        builder.AddHardening();
        builder.AddContentApiMetrics();
        // On SIGTERM Kestrel stops accepting, in-flight requests get this long to finish, then the process exits.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Shutdown:TimeoutSeconds", 20)));

        services.ConfigureHttpJsonOptions(o => ContentJson.Configure(o.SerializerOptions));
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddApiKeyAuth();
        // One check per data source. With standbys, a lost primary only degrades readiness (still 200): the nodes keep
        // serving reads from the standbys, and writes answer 503 until it returns.
        var health = services.AddHealthChecks()
            .AddNpgSql(name: "content-primary", tags: ["ready"], failureStatus: replicas is null ? null : Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded)
            .AddCheck<AcceptingHealthCheck>("accepting", tags: ["ready"]);
        if (replicas is not null)
            health.AddNpgSql(sp => sp.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(ReplicasKey), name: "content-replicas", tags: ["ready"]);
        services.AddContentApiSwagger();
        services.ConfigureSwaggerGen(o => { o.OperationFilter<ImportOperationFilter>(); o.DocumentFilter<ImportDocumentFilter>(); });
        return builder;
    }

    /// <summary>Applies the migrations and, when Content:LoadSample is set, loads the sample story.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await Database.MigrateAsync(app.Configuration.GetConnectionString("Content")!, app.Logger);
        if (app.Configuration.GetValue<bool>("Content:LoadSample"))
            await app.Services.GetRequiredService<SampleLoader>().LoadAsync(CancellationToken.None);
    }

    public static WebApplication UseContentApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseHeadAsGet();
        app.UseRouting();
        Validation.MissingFieldReport.UseMissingFieldReport(app);
        app.UseStatusCodePages();
        app.UseHardening();
        app.UseResponseCompression();
        app.UseAnonymousReads();
        app.UseAuthentication();
        app.UseContentRateLimiter();
        app.UseAuthorization();
        app.UseReaderOutputCache();
        app.UseContentApiSwagger();
        return app;
    }

    public static WebApplication MapContentApi(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = AcceptingHealthCheck.WriteAsync });

        var v1 = app.MapGroup("/v1");
        v1.MapArticles();
        v1.MapQuotes();
        v1.MapPeople();
        v1.MapSources();
        v1.MapSync();
        v1.MapKeys();
        v1.MapImports();
        app.MapContentApiMetrics();
        v1.MapRevisions();
        v1.MapWebhooks();
        return app;
    }
}
