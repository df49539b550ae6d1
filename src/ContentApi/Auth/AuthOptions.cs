namespace ContentApi.Auth;

public sealed class AuthOptions
{
    /// <summary>An admin key from configuration, for first start and tests. Empty: none.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Requests without a key count as readers unless this is false.</summary>
    public bool AllowAnonymousReads { get; set; } = true;
}

public static class Roles
{
    public const string Reader = "reader";
    public const string Editor = "editor";
    public const string Admin = "admin";
}

public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
}
