using System.ComponentModel.DataAnnotations;

namespace ContentApi.Infrastructure;

public sealed class PaginationOptions
{
    /// <summary>HMAC key for cursors and sync tokens; any client edit to a cursor then fails verification.</summary>
    [Required, MinLength(16)]
    public string CursorSecret { get; set; } = "";
}
