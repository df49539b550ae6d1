namespace ContentApi.Tests.Delivery;

/// <summary>
/// The release watcher empties the readers' output cache when a scheduled article's time comes, and not on its other
/// looks. Changes are made straight in the database, where no write evicts or pokes the watcher, so only the
/// watcher's own evictions show.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class ReleaseEvictionTests
{
    [Fact]
    public async Task OutputCache_KeptWhileNothingIsReleased_EmptiedAtAReleaseSeenComing_AndAtTheLookAfterOneNotSeen()
    {
        // The watcher looks every second here (60 by default).
        var api = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:ReleaseCheckSeconds"] = "1",
            ["Delivery:OutputCacheSeconds"] = "120",
        });
        try
        {
            var admin = api.Admin();
            var reader = api.Anonymous();
            var scheduled = await admin.CreateArticle(TestData.Article(status: "draft"));
            var unseen = await admin.CreateArticle(TestData.Article(status: "draft"));
            var person = await admin.CreatePerson("Tetap Tersimpan " + DeliveryTestKit.Marker());
            var url = $"/v1/people/{person.Id()}";
            async Task<string> Name() => (string)(await reader.GetOk(url))["name"]!;
            async Task<string> Rename()
            {
                var name = "Diam-diam " + DeliveryTestKit.Marker();
                await DeliveryTestKit.Execute(api.ConnectionString, "update people set name = @n where id = @id", ("n", name), ("id", person.Id()));
                return name;
            }
            async Task Sql(string sql, Guid id) => await DeliveryTestKit.Execute(api.ConnectionString, sql, ("id", id));
            // The node's listener evicts once when it first connects (ContentEvictions): let that pass first.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await DeliveryTestKit.Scalar(api.ConnectionString,
                "select count(*) from pg_stat_activity where datname = current_database() and query like 'listen %'") != 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the node's listener did not connect within 10 s");
                await Task.Delay(50);
            }
            await Task.Delay(TimeSpan.FromSeconds(0.5));

            // Asked twice: the second answer is stored. Renamed behind the API's back, it stays through three looks.
            var stored = await Name();
            Assert.Equal(stored, await Name());
            var renamed = await Rename();
            Assert.Equal(stored, await Name());
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            Assert.Equal(stored, await Name());

            // A release three seconds ahead: the looks before it do not evict, the release does.
            await Sql("update articles set status = 'published', published_at = now() + interval '3 seconds' where id = @id", scheduled.Id());
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(stored, await Name());
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(renamed, await Name());

            // A release the watcher could not see coming (published in the past, straight in the database): the next
            // look finds it came since the last one, and evicts.
            Assert.Equal(renamed, await Name());
            var later = await Rename();
            Assert.Equal(renamed, await Name());
            await Sql("update articles set status = 'published', published_at = now() - interval '1 millisecond' where id = @id", unseen.Id());
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(later, await Name());
        }
        finally
        {
            await api.StopAsync();
        }
    }
}
