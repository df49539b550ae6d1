using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ContentApi.Infrastructure;

/// <summary>Opaque, signed keyset cursors: base64url(json) "." base64url(hmac[..16]).</summary>
public sealed partial class CursorCodec
{
    private readonly byte[][] keys;

    public CursorCodec(IOptions<PaginationOptions> options) => keys = [.. options.Value.Secrets.Select(Encoding.UTF8.GetBytes)];

    public string Encode<T>(T payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload);
        var mac = Mac<T>(keys[0], json);
        return Base64Url.EncodeToString(json) + "." + Base64Url.EncodeToString(mac);
    }

    public const string Invalid = "The cursor is invalid, was altered, or belongs to another list or sort.";

    /// <summary>
    /// Reads a list cursor; true with null when there is none, false when it is not ours, not for <paramref name="list"/>,
    /// or its keys are not of the kinds the list's sort uses (<paramref name="key"/>; <paramref name="windowKey"/> for a
    /// ranked window's oldest member, which may be absent).
    /// </summary>
    public bool TryRead(string? cursor, string list, CursorKey key, out Keyset? keyset, CursorKey windowKey = CursorKey.None)
    {
        keyset = null;
        if (cursor is null) return true;
        return TryDecode(cursor, out keyset, k => k.S == list && k.I != Guid.Empty && IsKey(k.K, key)
            && (k.WK is null || IsKey(k.WK, windowKey)));
    }

    private static bool IsKey(string? value, CursorKey kind) => kind switch
    {
        CursorKey.None => value is null,
        CursorKey.Text => value is not null,
        // ISO 8601 as .NET ("O") and PostgreSQL (timestamptz as text) write it; both parse it back the same. PostgreSQL
        // writes an undated draft's sort key as infinity.
        CursorKey.Time => value is "infinity" or "-infinity" || (value is not null && IsoTime().IsMatch(value)
            && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)),
        CursorKey.Rank => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) && float.IsFinite(rank),
        _ => false,
    };

    // The payload type is part of what is signed: a list cursor can never be replayed as a sync token.
    private static byte[] Mac<T>(byte[] key, byte[] json) =>
        HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes(typeof(T).Name), 0, .. json]).AsSpan(0, 16).ToArray();

    /// <summary>
    /// Reads a signed payload; false when it is not ours, not a <typeparamref name="T"/>, or not <paramref name="wellFormed"/>
    /// (the signature proves who wrote it, not that every field holds what its reader will parse).
    /// </summary>
    public bool TryDecode<T>(string? cursor, out T? payload, Func<T, bool>? wellFormed = null) where T : class
    {
        payload = null;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 2048) return false;
        var dot = cursor.IndexOf('.');
        if (dot <= 0) return false;
        try
        {
            var json = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
            if (!keys.Any(key => CryptographicOperations.FixedTimeEquals(mac, Mac<T>(key, json)))) return false;
            payload = JsonSerializer.Deserialize<T>(json);
            if (payload is not null && (wellFormed is null || wellFormed(payload)))
                return true;
            payload = null;
            return false;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}(:?\d{2})?)?$")]
    private static partial System.Text.RegularExpressions.Regex IsoTime();
}
