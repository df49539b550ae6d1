using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StandardWebhooks;

namespace ContentApi.Webhooks;

/// <summary>Standard Webhooks signing secrets: made here, shown once, stored protected by ASP.NET Core Data Protection.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("ContentApi.Webhooks.Secret.v1");

    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string stored) => protector.Unprotect(stored);

    // Every send is signed: each stored secret is unprotected once, not once per delivery. Bounded, as rotations add entries.
    private readonly ConcurrentDictionary<string, StandardWebhook> signers = new(StringComparer.Ordinal);

    /// <summary>The signer of a stored (protected) secret.</summary>
    public StandardWebhook Signer(string stored)
    {
        if (signers.Count > 1000) signers.Clear();
        return signers.GetOrAdd(stored, static (s, self) => new StandardWebhook(self.Unprotect(s)), this);
    }
}
