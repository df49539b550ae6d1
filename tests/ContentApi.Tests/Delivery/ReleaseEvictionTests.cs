using System.Net;
using System.Net.Http.Json;

namespace ContentApi.Tests.Delivery;

/// <summary>
/// The release watcher empties the readers' output cache when a scheduled article's time comes, and not on its other
/// looks. The cached answer is a person renamed straight in the database, where no write evicts, so only the watcher's
/// evictions show.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class ReleaseEvictionTests
{
    [Fact]
    public async Task OutputCache_KeptWhileNothingIsReleased_EmptiedAtAReleaseSeenComing_AndAtTheLookAfterOneNotSeen()
    {
        // The watcher looks every six seconds here (60 by default).
        var api = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:ReleaseCheckSeconds"] = "6",
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
            static Task Until(DateTime time) => time > DateTime.UtcNow ? Task.Delay(time - DateTime.UtcNow) : Task.CompletedTask;
            // Asks twice (the second answer is stored), renames behind the API's back, and checks the stored answer.
            async Task<(string Stored, string Renamed)> StoreThenRename()
            {
                var stored = await Name();
                Assert.Equal(stored, await Name());
                var renamed = "Diam-diam " + DeliveryTestKit.Marker();
                await DeliveryTestKit.Execute(api.ConnectionString, "update people set name = @n where id = @id", ("n", renamed), ("id", person.Id()));
                Assert.Equal(stored, await Name());
                return (stored, renamed);
            }
            // The node's listener evicts once when it first connects (ContentEvictions): let that pass first.
            await DeliveryTestKit.WaitFor(async () => await DeliveryTestKit.Scalar(api.ConnectionString,
                "select count(*) from pg_stat_activity where datname = current_database() and query like 'listen %'") == 1,
                "the node's listener connects");
            await Task.Delay(TimeSpan.FromSeconds(0.5));

            // Nothing released: the stored answer stays through a look.
            var (stored, renamed) = await StoreThenRename();
            await Task.Delay(TimeSpan.FromSeconds(6.5));
            Assert.Equal(stored, await Name());

            // Scheduled through the API three seconds ahead: the write evicts and the watcher looks at once, sees the
            // release coming and wakes at its time, three seconds before its next look.
            var releaseAt = DateTime.UtcNow.AddSeconds(3);
            var publish = await admin.PostAsync($"/v1/articles/{scheduled.Id()}/publish", JsonContent.Create(new { publishedAt = releaseAt }));
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
            (stored, renamed) = await StoreThenRename();
            await Until(releaseAt - TimeSpan.FromSeconds(1.5));
            Assert.Equal(stored, await Name());
            await Until(releaseAt + TimeSpan.FromSeconds(1));
            Assert.Equal(renamed, await Name());
            // Past the second eviction, a second after the release.
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            // Published straight in the database a moment ahead, with no write to wake the watcher: it did not see it
            // coming, and its next look finds it released.
            (stored, renamed) = await StoreThenRename();
            await DeliveryTestKit.Execute(api.ConnectionString,
                "update articles set status = 'published', published_at = now() + interval '200 milliseconds' where id = @id", ("id", unseen.Id()));
            Assert.Equal(stored, await Name());
            await Task.Delay(TimeSpan.FromSeconds(7));
            Assert.Equal(renamed, await Name());
        }
        finally
        {
            await api.StopAsync();
        }
    }
}
