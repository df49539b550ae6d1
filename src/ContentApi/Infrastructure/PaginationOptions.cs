namespace ContentApi.Infrastructure;

public sealed class PaginationOptions
{
    /// <summary>The secret shipped in appsettings.json for local runs: public, so refused outside Development.</summary>
    public const string CommittedDefault = "change-me-in-production-0123456789";

    /// <summary>HMAC key for cursors and sync tokens; any client edit to a cursor then fails verification.</summary>
    public string CursorSecret { get; set; } = "";

    /// <summary>
    /// Rotation: the first signs, every one verifies, so cursors and sync tokens signed with a retired secret keep working
    /// while it stays listed. When set, <see cref="CursorSecret"/> is ignored.
    /// </summary>
    public string[] CursorSecrets { get; set; } = [];

    /// <summary>The secrets in use, the signing one first.</summary>
    public IReadOnlyList<string> Secrets => CursorSecrets.Length > 0 ? CursorSecrets : [CursorSecret];
}
