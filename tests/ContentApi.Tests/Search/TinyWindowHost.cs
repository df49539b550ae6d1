using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Search;

/// <summary>
/// A host whose ranked search looks for its window among the newest 16 rows first (the least Search:WindowFirstSpan
/// allows), so a few test articles take every windowed path a large archive takes.
/// </summary>
public sealed class TinyWindowHost : IAsyncLifetime
{
    public const int FirstSpan = 16;

    public ContentApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync() => Factory = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
    {
        ["Search:WindowFirstSpan"] = FirstSpan.ToString(),
    });

    public Task DisposeAsync() => Factory.StopAsync();
}
