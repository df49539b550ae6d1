namespace ContentApi.Tests.Conventions;

/// <summary>Keyset pages on every resource: a walk sees every row once, even while rows are added around the cursor.</summary>
[Collection(ApiCollection.Name)]
public sealed class PaginationTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    [Theory]
    [MemberData(nameof(Resource.All), MemberType = typeof(Resource))]
    public async Task List_WalksEveryPageWithoutGapsOrRepeats_WhileRowsAreAdded(string name)
    {
        var resource = Resource.Named(name);
        var scope = await resource.ScopeAsync(admin);
        var originals = new List<Guid>();
        for (var batch = 0; batch < 5; batch++)
        {
            var created = await Task.WhenAll(Enumerable.Range(batch * 21, 21).Select(i => resource.CreateInAsync(admin, scope, $"{i:D3}")));
            originals.AddRange(created.Select(r => r.Id()));
        }

        var (first, firstResponse) = await admin.GetWithResponse(resource.ListUrl(scope));
        Assert.Equal(20, first["items"]!.AsArray().Count); // the default page size
        Assert.NotNull(first["nextCursor"]);
        Assert.True(firstResponse.Headers.Contains("Link"));
        Assert.Equal(100, (await admin.GetOk(resource.ListUrl(scope, "&limit=100")))["items"]!.AsArray().Count);

        var added = new List<Guid>();
        var seen = await admin.ListAll(resource.ListUrl(scope, "&limit=20"), async page =>
        {
            // Rows that sort before and after the cursor arrive mid-walk; the originals must still come exactly once.
            added.Add((await resource.CreateInAsync(admin, scope, $"{page:D3}x")).Id());
            added.Add((await resource.CreateInAsync(admin, scope, $"9{page:D2}")).Id());
        });

        var ids = seen.Ids();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var id in originals)
            Assert.Single(ids, x => x == id);
        Assert.All(ids, id => Assert.True(originals.Contains(id) || added.Contains(id), $"{id} is not ours"));
    }
}
