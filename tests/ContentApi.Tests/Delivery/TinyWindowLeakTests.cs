using ContentApi.Tests.Search;

namespace ContentApi.Tests.Delivery;

/// <summary>The leak tests again on a host with a tiny first span and more articles than it: windowed search for readers and editors.</summary>
public sealed class TinyWindowLeakTests(TinyWindowHost host) : LeakTests(host.Factory), IClassFixture<TinyWindowHost>
{
    protected override int FillerArticles => 2 * TinyWindowHost.FirstSpan;
}
