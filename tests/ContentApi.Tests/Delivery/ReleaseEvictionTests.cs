namespace ContentApi.Tests.Delivery;

/// <summary>
/// The release watcher empties the readers' output cache when a scheduled article's time comes, and not on its other
/// looks: it used to evict after every sleep, so every hot URL missed once a minute with nothing released.
/// </summary>
public sealed class ReleaseEvictionTests
{
    [Fact]
    public async Task OutputCache_KeptWhileNothingIsReleased_EmptiedWhenAScheduledArticleIsReleased()
    {
        // The watcher looks every second here (60 by default), so three looks pass within the test.
        await using var api = new ContentApiFactory(new Dictionary<string, string>
        {
            ["Delivery:ReleaseCheckSeconds"] = "1",
            ["Delivery:OutputCacheSeconds"] = "120",
        });
        await api.InitializeAsync();
        var admin = api.Admin();
        var reader = api.Anonymous();
        var draft = await admin.CreateArticle(TestData.Article(status: "draft"));
        var person = await admin.CreatePerson("Tetap Tersimpan " + DeliveryTestKit.Marker());
        var url = $"/v1/people/{person.Id()}";
        var stored = (string)person["name"]!;
        async Task Rename(string name) =>
            await DeliveryTestKit.Execute(api.ConnectionString, "update people set name = @n where id = @id", ("n", name), ("id", person.Id()));

        // Asked twice: the second answer is stored. Then renamed behind the API's back, so only an eviction shows it.
        Assert.Equal(stored, (string?)(await reader.GetOk(url))["name"]);
        Assert.Equal(stored, (string?)(await reader.GetOk(url))["name"]);
        await Rename("Diam-diam " + DeliveryTestKit.Marker());
        Assert.Equal(stored, (string?)(await reader.GetOk(url))["name"]);

        // Three looks with nothing to release: the stored answer stays.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(stored, (string?)(await reader.GetOk(url))["name"]);

        // A release scheduled straight in the database (no write pokes the watcher): found on the next look, and the
        // cache is emptied at its time.
        var released = "Sesudah Rilis " + DeliveryTestKit.Marker();
        await Rename(released);
        await DeliveryTestKit.Execute(api.ConnectionString,
            "update articles set status = 'published', published_at = now() + interval '1.5 seconds' where id = @id", ("id", draft.Id()));
        Assert.Equal(stored, (string?)(await reader.GetOk(url))["name"]);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(released, (string?)(await reader.GetOk(url))["name"]);
    }
}
