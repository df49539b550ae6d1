using System.ComponentModel.DataAnnotations;

namespace ContentApi.Hosting;

/// <summary>DataProtection:* configuration: the ASP.NET Core Data Protection key ring (it encrypts webhook signing secrets).</summary>
public sealed class KeyRingOptions
{
    /// <summary>
    /// Where the key ring's XML files live. Every node of a deployment must use the same directory (a shared volume),
    /// kept apart from the database so that a dump alone cannot sign. Unset: ASP.NET Core's default for the user.
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>
    /// Data Protection isolates applications by this name; fixed, so nodes installed at different paths (ASP.NET
    /// Core's default name is the content root path) still read each other's secrets.
    /// </summary>
    [Required]
    public string ApplicationName { get; set; } = "ContentApi";
}
