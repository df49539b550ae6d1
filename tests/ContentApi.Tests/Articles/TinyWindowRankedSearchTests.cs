using ContentApi.Tests.Search;

namespace ContentApi.Tests.Articles;

/// <summary>The ranked search tests again on a host with a tiny first span (<see cref="TinyWindowHost"/>).</summary>
public sealed class TinyWindowRankedSearchTests(TinyWindowHost host) : RankedSearchTests(host.Factory), IClassFixture<TinyWindowHost>;
