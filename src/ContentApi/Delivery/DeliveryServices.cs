using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace ContentApi.Delivery;

/// <summary>Compression, the readers' output cache and scheduled releases: how answers reach clients.</summary>
public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
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
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<DeliveryOptions>>((o, d) => o.SizeLimit = d.Value.OutputCacheMegabytes * 1024L * 1024L);
        services.AddSingleton<ScheduledReleases>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledReleases>());
        services.AddContentRateLimiter();
        return services;
    }

    /// <summary>The output cache, only for the requests its policy may answer or store (readers' GETs while it is on).</summary>
    public static WebApplication UseReaderOutputCache(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
        app.UseWhen(http => ReaderOutputCachePolicy.Applies(http, options.CurrentValue.OutputCacheSeconds), branch => branch.UseOutputCache());
        return app;
    }
}
