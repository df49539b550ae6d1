using System.Net;
using ContentApi.Infrastructure;
using ContentApi.Tests.Delivery;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace ContentApi.Tests.Foundation;

/// <summary>
/// The cursor secret signs cursors and sync tokens: outside Development the app does not start with the secret
/// committed in appsettings.json or one under 32 bytes; a list of secrets rotates them (the first signs, all verify).
/// </summary>
public sealed class CursorSecretTests
{
    private static async Task<Exception?> StartIn(string environment, IDictionary<string, string> settings)
    {
        var factory = new ContentApiFactory(settings);
        try
        {
            using var host = factory.WithWebHostBuilder(b => b.UseEnvironment(environment));
            _ = host.Server;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            await factory.StopAsync();
        }
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { "Production", PaginationOptions.CommittedDefault },
        { "Testing", PaginationOptions.CommittedDefault },
        { "Production", "only-31-bytes-long-0123456789ab" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task OutsideDevelopment_TheCommittedOrAShortSecret_StopsTheStart_WithAClearMessage(string environment, string secret)
    {
        var error = await StartIn(environment, new Dictionary<string, string> { ["Pagination:CursorSecret"] = secret });
        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("Pagination__CursorSecret", validation.Message);
        Assert.Contains("32 bytes", validation.Message);
    }

    [Fact]
    public async Task OutsideDevelopment_AListWithTheCommittedSecret_StopsTheStart()
    {
        var error = await StartIn("Production", new Dictionary<string, string>
        {
            ["Pagination:CursorSecrets:0"] = ContentApiFactory.CursorSecret,
            ["Pagination:CursorSecrets:1"] = PaginationOptions.CommittedDefault,
        });
        Assert.IsType<OptionsValidationException>(error);
    }

    [Fact]
    public async Task TheControls_AStrongSecretOutsideDevelopment_AndTheCommittedOneInDevelopment_Start()
    {
        Assert.Null(await StartIn("Production", new Dictionary<string, string> { ["Pagination:CursorSecret"] = "exactly-32-bytes-long-0123456789" }));
        Assert.Null(await StartIn("Development", new Dictionary<string, string> { ["Pagination:CursorSecret"] = PaginationOptions.CommittedDefault }));
    }

    [Fact]
    public async Task Rotation_TheFirstSecretSigns_EveryListedSecretVerifies()
    {
        const string old = "the-old-cursor-secret-0123456789abcdef", current = "the-new-cursor-secret-0123456789abcdef";
        var before = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Pagination:CursorSecret"] = old });
        string oldCursor, oldToken;
        try
        {
            var admin = before.Admin();
            await admin.CreatePerson("Rotasi Satu");
            await admin.CreatePerson("Rotasi Dua");
            oldCursor = (string)(await admin.GetOk("/v1/people?limit=1"))["nextCursor"]!;
            oldToken = (string)(await admin.GetOk("/v1/sync?limit=1"))["nextToken"]!;
        }
        finally
        {
            await before.StopAsync();
        }

        var rotated = await DeliveryTestKit.StartAsync(new Dictionary<string, string>
        {
            ["Pagination:CursorSecrets:0"] = current,
            ["Pagination:CursorSecrets:1"] = old,
        });
        var retired = await DeliveryTestKit.StartAsync(new Dictionary<string, string> { ["Pagination:CursorSecrets:0"] = current });
        try
        {
            var admin = rotated.Admin();
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/people?cursor={TestData.Q(oldCursor)}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/sync?since={TestData.Q(oldToken)}")).StatusCode);
            // The rotated host signs with the new secret: a host that knows only the new one accepts its cursors, not the old.
            await admin.CreatePerson("Rotasi Tiga");
            await admin.CreatePerson("Rotasi Empat");
            var newCursor = (string)(await admin.GetOk("/v1/people?limit=1"))["nextCursor"]!;
            var only = retired.Admin();
            Assert.Equal(HttpStatusCode.OK, (await only.GetAsync($"/v1/people?cursor={TestData.Q(newCursor)}")).StatusCode);
            await (await only.GetAsync($"/v1/people?cursor={TestData.Q(oldCursor)}")).ValidationProblem("cursor");
            await (await only.GetAsync($"/v1/sync?since={TestData.Q(oldToken)}")).ValidationProblem("since");
        }
        finally
        {
            await rotated.StopAsync();
            await retired.StopAsync();
        }
    }
}
