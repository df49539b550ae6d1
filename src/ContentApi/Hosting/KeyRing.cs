using Microsoft.AspNetCore.DataProtection;

namespace ContentApi.Hosting;

/// <summary>One Data Protection key ring for every node: what one node encrypts, any other can decrypt.</summary>
public static class KeyRing
{
    public const string Section = "DataProtection";

    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        builder.Services.AddOptions<KeyRingOptions>().BindConfiguration(Section).ValidateDataAnnotations().ValidateOnStart();
        var protection = builder.Services.AddDataProtection().SetApplicationName(options.ApplicationName);
        if (options.KeyRingDirectory is { Length: > 0 } directory)
            protection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        return builder;
    }
}
