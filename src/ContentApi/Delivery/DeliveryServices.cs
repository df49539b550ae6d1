using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContentApi.Delivery;

/// <summary>Compression, the readers' output cache and scheduled releases: how answers reach clients.</summary>
public static class DeliveryServices
{
    /// <param name="services">The app's services.</param>
    /// <param name="redis">ConnectionStrings:Redis: a StackExchange.Redis configuration for the shared output cache, or null for the in-memory one.</param>
    public static IServiceCollection AddDelivery(this IServiceCollection services, string? redis = null)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery").ValidateDataAnnotations().ValidateOnStart();

        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "text/html", "text/css", "application/javascript", "text/javascript"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

        services.AddOutputCache(o => o.AddBasePolicy(new ReaderOutputCachePolicy()));
        services.AddSingleton<CacheAdmission>();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<DeliveryOptions>>((o, d) => o.SizeLimit = d.Value.OutputCacheMegabytes * 1024L * 1024L);
        if (!string.IsNullOrWhiteSpace(redis))
            AddSharedOutputCache(services, redis);
        services.AddSingleton<ScheduledReleases>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledReleases>());
        services.AddSingleton<ContentEvictions>();
        services.AddHostedService(sp => sp.GetRequiredService<ContentEvictions>());
        services.AddContentRateLimiter();
        return services;
    }

    /// <summary>The output cache in Redis, shared by every node, behind <see cref="ResilientOutputCacheStore"/>.</summary>
    private static void AddSharedOutputCache(IServiceCollection services, string redis)
    {
        services.AddStackExchangeRedisOutputCache(o =>
        {
            var config = ConfigurationOptions.Parse(redis);
            // Start even while Redis is down, and fail a command at once instead of queueing it until Redis returns.
            config.AbortOnConnectFail = false;
            config.BacklogPolicy = BacklogPolicy.FailFast;
            config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
            o.ConfigurationOptions = config;
            o.InstanceName = "contentapi:";
        });
        var redisStore = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(redisStore);
        services.AddSingleton<IOutputCacheStore>(sp => new ResilientOutputCacheStore(
            (IOutputCacheStore)(redisStore.ImplementationInstance
                ?? redisStore.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, redisStore.ImplementationType!)),
            sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>()));
    }

    /// <summary>
    /// The output cache for readers with a key, only for the requests its policy may answer or store (readers' GETs while
    /// it is on) and <see cref="CacheAdmission"/> admits; anonymous reads met it earlier (<see cref="AnonymousReads"/>).
    /// A request it leaves out costs nothing here: no context, no key, no buffering.
    /// </summary>
    public static WebApplication UseReaderOutputCache(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
        var allow = app.Services.GetRequiredService<IOptions<Auth.AuthOptions>>().Value.AllowAnonymousReads;
        var admission = app.Services.GetRequiredService<CacheAdmission>();
        app.UseWhen(http => !AnonymousReads.Is(http, allow) && ReaderOutputCachePolicy.Applies(http, options.CurrentValue.OutputCacheSeconds)
            && admission.Admits(http), branch => branch.UseOutputCache());
        return app;
    }
}
