using ContentApi.Hosting;

var verb = ContentApiApp.VerbOf(args);
var builder = WebApplication.CreateBuilder(args);
if (verb is not null && !Cli.HasConnectionString(builder.Configuration))
    return 2;
builder.AddContentApi(verb);
var app = builder.Build();

if (verb is not null)
    return await Cli.RunAsync(app, verb, args[1..]);

await app.PrepareDatabaseAsync();
app.UseContentApi();
app.MapContentApi();
app.Run();
return 0;

public partial class Program;
