using System.Text;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Imports.Extraction;
using ContentApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Imports;

/// <summary>Reads an import's body in any of its three forms into a request and the story's lines, or a problem naming what is wrong.</summary>
public static class ImportBody
{
    // JSON escapes can make a 200 KB story a larger body; the text itself is held to 200 KB by the validator.
    private const int MaxBodyBytes = 4 * ImportRequestValidator.MaxTextBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Read(ImportRequest Request, List<string> Lines, byte[] Raw);

    public static async Task<(Read? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } media)
            return (null, Problems.Make(415, "unsupported_media_type", "Unsupported media type", "Send the story as text/plain; charset=utf-8, text/html or application/json."));
        var isJson = media.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        var isHtml = media.Equals("text/html", StringComparison.OrdinalIgnoreCase);
        var isText = media.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isHtml && !isText)
            return (null, Problems.Make(415, "unsupported_media_type", "Unsupported media type", $"{media} is not accepted; send text/plain; charset=utf-8, text/html or application/json."));
        if (type.Charset.Value is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Make(415, "unsupported_media_type", "Unsupported media type", $"The story must be UTF-8, not {charset}."));

        // Buffered and read from the start: a write PostgreSQL broke off runs again (ConflictRetryFilter) and reads the story again.
        request.EnableBuffering();
        request.Body.Position = 0;
        var raw = await ReadBytesAsync(request.Body, (isJson ? MaxBodyBytes : ImportRequestValidator.MaxTextBytes) + 1, ct);
        if (raw.Length > (isJson ? MaxBodyBytes : ImportRequestValidator.MaxTextBytes))
            return (null, Problems.Make(413, "payload_too_large", "Story too large", $"The story is larger than {ImportRequestValidator.MaxTextBytes / 1024} KB; send one story at a time."));

        string text;
        try
        {
            text = StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.Validation("body", "The story is not valid UTF-8: re-save it as UTF-8 and send it again."));
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        ImportRequest import;
        if (isJson)
        {
            try
            {
                import = ContentJson.Deserialize<ImportRequest>(text) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                return (null, Problems.Validation("body", "The body is not a valid import request: " + (e.Path is { } p ? $"check {p}." : "send { \"text\": \"...\" }.")));
            }
        }
        else
        {
            import = new ImportRequest { Text = text };
        }
        if (import.Text is null || string.IsNullOrWhiteSpace(import.Text))
            return (null, Problems.Validation("text", "The story is empty: send its text."));
        if (LooksBinary(import.Text))
            return (null, Problems.Validation("text", "The story is not text: it holds NUL or other control characters, as binary files do."));

        var lines = isHtml || (isJson && LooksLikeHtml(import.Text)) ? StoryText.LinesFromHtml(import.Text) : StoryText.LinesFromText(import.Text);
        if (lines.Count > 0 && lines.All(l => StoryText.LeftoverKind(l) is not null))
            return (null, Problems.Validation("text", "The story holds only web-page leftovers (ads, \"Baca juga\" links, image markup), no story text."));
        if (lines.Count == 0)
            return (null, Problems.Validation("text", isHtml
                ? "The HTML holds no story text: only scripts, styles or markup."
                : "The story is empty: send its text."));
        // Each line becomes a block, and a paragraph holds what any article write allows (a pasted story without line breaks does not).
        if (lines.Find(l => l.Length > BodyBlockValidator.MaxBlockText) is { } tooLong)
            return (null, Problems.Validation("text", $"A paragraph of {tooLong.Length} characters (\"{TextCut.Prefix(tooLong.TrimStart(), 40)}…\") is longer "
                + $"than the {BodyBlockValidator.MaxBlockText} a paragraph holds: break the story into paragraphs, one a line."));
        return (new Read(import, lines, raw), null);
    }

    /// <summary>NUL, or control characters (other than tab and line breaks) making up a tenth of a text of some length.</summary>
    public static bool LooksBinary(string text)
    {
        var controls = 0;
        foreach (var c in text)
        {
            if (c == '\0') return true;
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) controls++;
        }
        return controls >= 16 && controls > text.Length / 10;
    }

    private static bool LooksLikeHtml(string text) =>
        text.TrimStart().StartsWith('<') && (text.Contains("</p>", StringComparison.OrdinalIgnoreCase) || text.Contains("<html", StringComparison.OrdinalIgnoreCase) || text.Contains("<body", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadBytesAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length >= limit) break;
        }
        return buffer.ToArray();
    }
}
