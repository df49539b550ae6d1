namespace ContentApi;

/// <summary>Command-line verbs: "migrate" applies migrations; "sample" loads the sample story.</summary>
public static class Cli
{
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
                var loaded = await app.Services.GetRequiredService<Samples.SampleLoader>().LoadAsync(CancellationToken.None);
                Console.WriteLine(loaded ? "Sample story loaded." : "Sample story already present.");
                return 0;
            default:
                Console.Error.WriteLine($"Unknown command '{verb}'. Commands: migrate, sample.");
                return 2;
        }
    }
}
