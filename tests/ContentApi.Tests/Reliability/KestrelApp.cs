using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContentApi.Tests.Reliability;

/// <summary>The app on a real Kestrel socket (WebApplicationFactory.UseKestrel), over a fresh database.</summary>
public sealed class KestrelApp : IAsyncDisposable
{
    public ContentApiFactory Factory { get; }
    public WebApplicationFactory<Program> Host { get; }
    public Uri BaseAddress { get; }
    public LogCapture Logs { get; }

    private KestrelApp(ContentApiFactory factory, WebApplicationFactory<Program> host, Uri baseAddress, LogCapture logs)
    {
        Factory = factory;
        Host = host;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    /// <summary>Starts the app on Kestrel; every log entry (all levels) is captured in <see cref="Logs"/>.</summary>
    public static KestrelApp Start(IDictionary<string, string>? settings = null, string environment = "Testing")
    {
        var factory = new ContentApiFactory(settings ?? new Dictionary<string, string>());
        var logs = new LogCapture();
        var port = Net.FreePort();
        var host = factory.WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseUrls($"http://127.0.0.1:{port}");
            b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        host.UseKestrel();
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")))
            .First();
        return new KestrelApp(factory, host, address, logs);
    }

    public string ConnectionString => Factory.ConnectionString;

    /// <summary>A client on its own connection pool; <paramref name="key"/> null for anonymous.</summary>
    public HttpClient Client(string? key = ContentApiFactory.AdminKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new Conformance.ContractValidatingHandler(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = DecompressionMethods.All,
        }))
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await ((IAsyncLifetime)Factory).DisposeAsync();
    }
}
