using System.Net;

namespace ContentApi.Tests.Delivery;

/// <summary>
/// The output cache's two doors: anonymous reads meet it before authentication, reads with a key after it, and both use
/// one store; and <c>CacheAdmission</c> stores a URL only when it is asked again soon.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CacheAdmissionTests(ContentApiFactory factory)
{
    private static Task Rename(ContentApiFactory host, Guid id, string name) =>
        DeliveryTestKit.Execute(host.ConnectionString, "update people set name = @n where id = @id", ("n", name), ("id", id));

    [Fact]
    public async Task AnswerStoredForAReaderKey_ServesAnonymousReads_NeverABadKey()
    {
        var admin = factory.Admin();
        var person = await admin.CreatePerson("Satu Toko " + DeliveryTestKit.Marker());
        var url = $"/v1/people/{person.Id()}";
        var original = (string)person["name"]!;
        var reader = factory.WithKey((await admin.CreateKey("reader")).Key);
        // Asked twice with a key: stored by the cache behind authentication.
        Assert.Equal(original, (string?)(await reader.GetOk(url))["name"]);
        Assert.Equal(original, (string?)(await reader.GetOk(url))["name"]);

        // Behind the API's back: the anonymous reader is answered from the same store, before authentication.
        var renamed = "Diam-diam " + DeliveryTestKit.Marker();
        await Rename(factory, person.Id(), renamed);
        Assert.Equal(original, (string?)(await factory.Anonymous().GetOk(url))["name"]);
        Assert.Equal(original, (string?)(await reader.GetOk(url))["name"]);
        // A key the API does not know is refused, although the answer is in the cache; an editor reads the row.
        var wrong = await factory.WithKey("cak_" + Guid.NewGuid().ToString("N")).GetAsync(url);
        await wrong.Problem(HttpStatusCode.Unauthorized, "unauthorized");
        var editor = factory.WithKey((await admin.CreateKey("editor")).Key);
        Assert.Equal(renamed, (string?)(await editor.GetOk(url))["name"]);
    }

    [Fact]
    public async Task AnswerStoredForAnonymousReads_ServesAReaderKey()
    {
        var admin = factory.Admin();
        var person = await admin.CreatePerson("Dua Pintu " + DeliveryTestKit.Marker());
        var url = $"/v1/people/{person.Id()}";
        var original = (string)person["name"]!;
        var anonymous = factory.Anonymous();
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["name"]);
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["name"]);

        await Rename(factory, person.Id(), "Diam-diam " + DeliveryTestKit.Marker());
        var reader = factory.WithKey((await admin.CreateKey("reader")).Key);
        Assert.Equal(original, (string?)(await reader.GetOk(url))["name"]);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task AnonymousReadsOff_AStoredAnswerIsNotServedWithoutAKey()
    {
        var host = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Auth:AllowAnonymousReads"] = "false" });
        try
        {
            var admin = host.Admin();
            var person = await admin.CreatePerson("Tanpa Kunci " + DeliveryTestKit.Marker());
            var url = $"/v1/people/{person.Id()}";
            var reader = host.WithKey((await admin.CreateKey("reader")).Key);
            await reader.GetOk(url);
            await reader.GetOk(url);
            await Rename(host, person.Id(), "Diam-diam " + DeliveryTestKit.Marker());
            // Stored: the reader still gets the first answer; without a key there is none.
            Assert.Equal((string)person["name"]!, (string?)(await reader.GetOk(url))["name"]);
            await (await host.Anonymous().GetAsync(url)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task AUrlAskedAgainAfterTheAdmitWindow_IsNotStored_AskedAgainWithinItIs()
    {
        var host = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Delivery:OutputCacheAdmitSeconds"] = "1" });
        try
        {
            var person = await host.Admin().CreatePerson("Jarang Ditanya " + DeliveryTestKit.Marker());
            var url = $"/v1/people/{person.Id()}";
            var anonymous = host.Anonymous();
            Assert.Equal((string)person["name"]!, (string?)(await anonymous.GetOk(url))["name"]);
            // Asked again 2.5 s later, beyond the 1 s window: answered, not stored (the count starts again).
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            await anonymous.GetOk(url);
            var second = "Kedua " + DeliveryTestKit.Marker();
            await Rename(host, person.Id(), second);
            // Asked again at once: the row as it is now (nothing was stored), and this answer is stored.
            Assert.Equal(second, (string?)(await anonymous.GetOk(url))["name"]);
            await Rename(host, person.Id(), "Ketiga " + DeliveryTestKit.Marker());
            Assert.Equal(second, (string?)(await anonymous.GetOk(url))["name"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task AStoredUrlAskedAgainAfterTheAdmitWindow_IsStillServedFromTheCache()
    {
        var host = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Delivery:OutputCacheAdmitSeconds"] = "1" });
        try
        {
            var person = await host.Admin().CreatePerson("Masih Disimpan " + DeliveryTestKit.Marker());
            var url = $"/v1/people/{person.Id()}";
            var anonymous = host.Anonymous();
            await anonymous.GetOk(url);
            await anonymous.GetOk(url);
            await Rename(host, person.Id(), "Diam-diam " + DeliveryTestKit.Marker());
            // 2.5 s later: too late to count towards a store, within the 10 s the stored answer lives, so it is looked up.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal((string)person["name"]!, (string?)(await anonymous.GetOk(url))["name"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
