using System.Text;
using Microsoft.Extensions.Options;

namespace ContentApi.Infrastructure;

/// <summary>
/// Anyone holding a cursor secret can sign cursors and sync tokens: outside Development the app refuses to start with
/// the committed default or a secret under 32 bytes (HMAC-SHA256 wants a key as long as its output).
/// </summary>
public sealed class CursorSecretValidator(IHostEnvironment environment) : IValidateOptions<PaginationOptions>
{
    public const int MinBytes = 32;

    public ValidateOptionsResult Validate(string? name, PaginationOptions options)
    {
        const string How = "Set Pagination__CursorSecret (or Pagination__CursorSecrets__0, __1, ... to rotate: the first signs, all verify) " +
                           "to a random secret of at least 32 bytes, e.g. `openssl rand -base64 48`.";
        var secrets = options.Secrets;
        if (secrets.Any(string.IsNullOrEmpty))
            return ValidateOptionsResult.Fail("No cursor secret is configured. " + How);
        if (environment.IsDevelopment())
            return secrets.Any(s => Encoding.UTF8.GetByteCount(s) < 16)
                ? ValidateOptionsResult.Fail("A cursor secret is shorter than 16 bytes. " + How)
                : ValidateOptionsResult.Success;
        if (secrets.Contains(PaginationOptions.CommittedDefault))
            return ValidateOptionsResult.Fail($"The cursor secret is the default committed in appsettings.json, which anyone can read (environment {environment.EnvironmentName}). " + How);
        if (secrets.Any(s => Encoding.UTF8.GetByteCount(s) < MinBytes))
            return ValidateOptionsResult.Fail($"A cursor secret is shorter than {MinBytes} bytes (environment {environment.EnvironmentName}). " + How);
        return ValidateOptionsResult.Success;
    }
}
