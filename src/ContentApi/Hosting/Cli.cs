namespace ContentApi.Hosting;

/// <summary>
/// Command-line verbs: "migrate" applies migrations; "sample" loads the sample story;
/// "keys create NAME ROLE", "keys list", "keys revoke ID" manage API keys.
/// </summary>
public static class Cli
{
    /// <summary>The database ./run.sh starts, as a verb run beside it would name it.</summary>
    public const string RunShConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=contentapi";

    /// <summary>False, after one line on stderr saying what to set, when a verb has no database to work on.</summary>
    public static bool HasConnectionString(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("Content")))
            return true;
        Console.Error.WriteLine("ConnectionStrings__Content is not set; for the database ./run.sh starts: " +
                                $"export ConnectionStrings__Content='{RunShConnectionString}'");
        return false;
    }

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args)
    {
        var connectionString = app.Configuration.GetConnectionString("Content")!;
        switch (verb)
        {
            case "migrate":
                await Infrastructure.Database.MigrateAsync(connectionString, app.Logger);
                Console.WriteLine("Migrations applied.");
                return 0;
            case "sample":
                await Infrastructure.Database.MigrateAsync(connectionString, app.Logger);
                var loaded = await app.Services.GetRequiredService<SampleLoader>().LoadAsync(CancellationToken.None);
                Console.WriteLine(loaded ? "Sample story loaded." : "Sample story already present.");
                return 0;
            case "keys":
                await Infrastructure.Database.MigrateAsync(connectionString, app.Logger);
                return await KeysAsync(app.Services.GetRequiredService<Keys.KeyRepository>(), args);
            default:
                Console.Error.WriteLine($"Unknown command '{verb}'. Commands: migrate, sample, keys create|list|revoke.");
                return 2;
        }
    }

    private static async Task<int> KeysAsync(Keys.KeyRepository keys, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "create" when args.Length == 3 && Infrastructure.Wire<Keys.KeyRole>.TryParse(args[2], out var role):
                var created = await keys.CreateAsync(new Keys.KeyRequest { Name = args[1], Role = role }, CancellationToken.None);
                Console.WriteLine($"{created.Id}\t{Infrastructure.Wire<Keys.KeyRole>.Name(created.Role)}\t{created.Key}");
                Console.Error.WriteLine("Store the key now: it is not kept and cannot be shown again.");
                return 0;
            case "list":
                Guid? after = null;
                for (var more = true; more;)
                {
                    var (page, hasMore) = await keys.ListAsync(after, Infrastructure.Limits.MaxPageSize, CancellationToken.None);
                    (after, more) = (page.Count > 0 ? page[^1].Id : after, hasMore);
                    foreach (var k in page)
                        Console.WriteLine($"{k.Id}\t{Infrastructure.Wire<Keys.KeyRole>.Name(k.Role)}\t{k.Prefix}…\t{k.Name}\t{(k.RevokedAt is null ? "live" : "revoked")}");
                }
                return 0;
            case "revoke" when args.Length == 2 && Guid.TryParse(args[1], out var id):
                var revoked = await keys.RevokeAsync(id, CancellationToken.None) is not null;
                Console.WriteLine(revoked ? "Revoked." : "No live key with that id.");
                return revoked ? 0 : 1;
            default:
                Console.Error.WriteLine("Usage: keys create NAME reader|editor|admin | keys list | keys revoke ID");
                return 2;
        }
    }
}
