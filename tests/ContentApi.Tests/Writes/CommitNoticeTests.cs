using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ContentApi.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Writes;

/// <summary>
/// The NOTIFY that tells other nodes to evict rides in a recorded write's own transaction: every successful write is
/// heard exactly once (not once from the transaction and again after it), and a refused write or a replay not at all.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CommitNoticeTests(ContentApiFactory factory)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EachSuccessfulWrite_IsHeardOnce_ARefusedWriteOrAReplayNever()
    {
        // Other test classes write through other hosts on the same database: only this host's node is counted.
        var node = factory.Services.GetRequiredService<ContentEvictions>().Notice().Payload;
        var heard = new ConcurrentQueue<int>();
        await using var listener = new NpgsqlConnection(factory.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, e) => { if (e.Payload == node) heard.Enqueue(e.PID); };
        await using (var listen = new NpgsqlCommand("listen contentapi_writes", listener))
            await listen.ExecuteNonQueryAsync();
        using var stop = new CancellationTokenSource();
        var pump = Task.Run(async () =>
        {
            try { while (true) await listener.WaitAsync(stop.Token); }
            catch (OperationCanceledException) { }
        });
        using var admin = factory.Admin();

        var person = await admin.CreatePerson();
        await Expect(heard, 1);

        var quote = new { text = $"Kutipan {Guid.NewGuid():N}.", language = "id", type = "direct", speakerId = person.Id(), saidOn = "2023-09-07", articleIds = Array.Empty<Guid>() };
        var key = Guid.NewGuid().ToString();
        var created = await Post(admin, quote, key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Expect(heard, 2);

        var replay = await Post(admin, quote, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var refused = await Post(admin, quote with { text = "" }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var url = $"/v1/people/{person.Id()}";
        var current = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        var put = await admin.Put(url, new { slug = (string)person["slug"]!, name = "Renamed" }, current.ETag());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Expect(heard, 3);

        await stop.CancelAsync();
        await pump;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/quotes") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>Waits for <paramref name="count"/> notifications, then a little longer to see that no second one follows.</summary>
    private static async Task Expect(ConcurrentQueue<int> heard, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (heard.Count < count && clock.Elapsed < Bound)
            await Task.Delay(20);
        await Task.Delay(500);
        Assert.Equal(count, heard.Count);
    }
}
