using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Writes;

/// <summary>
/// A create sent with an Idempotency-Key stores its answer in its own transaction: the stored row was last written by
/// the transaction that wrote the created row (same xmin), and it holds the 201 the client got.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotentAnswerTests(ContentApiFactory factory)
{
    [Theory]
    [InlineData("quotes", "quotes")]
    [InlineData("people", "people")]
    public async Task TheAnswer_IsStoredByTheCreatesOwnTransaction(string resource, string table)
    {
        using var admin = factory.Admin();
        object body = resource == "quotes"
            ? new { text = $"Kutipan {Guid.NewGuid():N}.", language = "id", type = "direct", speakerId = (await admin.CreatePerson()).Id(), saidOn = "2023-09-07", articleIds = Array.Empty<Guid>() }
            : new { slug = TestData.Slug("person"), name = "Jake Sullivan", aliases = Array.Empty<string>() };
        var key = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{resource}") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await admin.SendAsync(request);
        var created = await response.Json(HttpStatusCode.Created);
        var id = created.Id();

        // xmin is a transaction id: one transaction wrote both rows.
        Assert.Equal(1, await DeliveryTestKit.Scalar(factory.ConnectionString,
            $"select count(*) from idempotency_keys k, {table} t where k.key = @key and t.id = @id and k.xmin = t.xmin and k.status = 201",
            ("key", key), ("id", id)));
        await using var conn = new Npgsql.NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("select location, body from idempotency_keys where key = @key", conn);
        read.Parameters.AddWithValue("key", key);
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal($"/v1/{resource}/{id}", row.GetString(0));
        Assert.True(JsonNode.DeepEquals(created, JsonNode.Parse(row.GetString(1))), $"stored answer differs:\n{created}\n{row.GetString(1)}");
    }
}
