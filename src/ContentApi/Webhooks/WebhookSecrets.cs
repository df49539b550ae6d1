using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ContentApi.Webhooks;

/// <summary>Standard Webhooks signing secrets: made here, shown once, stored protected by ASP.NET Core Data Protection.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("ContentApi.Webhooks.Secret.v1");

    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string stored) => protector.Unprotect(stored);
}
