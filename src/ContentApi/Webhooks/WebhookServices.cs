using Microsoft.Extensions.Options;
using Polly;

namespace ContentApi.Webhooks;

public static class WebhookServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks").ValidateDataAnnotations().ValidateOnStart();
        // Secrets are encrypted with the key ring every node shares (Hosting.KeyRing, DataProtection:*).
        services.AddDataProtection();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<TargetGuard>();
        services.AddSingleton<WebhookRepository>();
        services.AddSingleton<DispatchRepository>();
        services.AddHostedService<WebhookDispatcher>();
        // No redirects (a 3xx could point anywhere), every connection checked against private ranges, one timeout
        // per try and no retries here: the outbox retries, with its own backoff, across restarts.
        services.AddHttpClient(WebhookDispatcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<TargetGuard>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var seconds = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds;
                pipeline.AddTimeout(TimeSpan.FromSeconds(seconds));
            });
        return services;
    }
}
