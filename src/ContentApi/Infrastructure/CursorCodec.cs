using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ContentApi.Infrastructure;

/// <summary>Opaque, signed keyset cursors: base64url(json) "." base64url(hmac[..16]).</summary>
public sealed class CursorCodec
{
    private readonly byte[] key;

    public CursorCodec(IOptions<PaginationOptions> options) => key = Encoding.UTF8.GetBytes(options.Value.CursorSecret);

    public string Encode<T>(T payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload);
        var mac = Mac<T>(json);
        return Base64Url.EncodeToString(json) + "." + Base64Url.EncodeToString(mac);
    }

    public const string Invalid = "The cursor is invalid, was altered, or belongs to another list or sort.";

    /// <summary>Reads a list cursor; true with null when there is none, false when it is not ours or not for <paramref name="list"/>.</summary>
    public bool TryRead(string? cursor, string list, out Keyset? keyset)
    {
        keyset = null;
        if (cursor is null) return true;
        return TryDecode(cursor, out keyset) && keyset!.S == list;
    }

    // The payload type is part of what is signed: a list cursor can never be replayed as a sync token.
    private byte[] Mac<T>(byte[] json) =>
        HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes(typeof(T).Name), 0, .. json]).AsSpan(0, 16).ToArray();

    public bool TryDecode<T>(string? cursor, out T? payload) where T : class
    {
        payload = null;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 2048) return false;
        var dot = cursor.IndexOf('.');
        if (dot <= 0) return false;
        try
        {
            var json = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
            var expected = Mac<T>(json);
            if (!CryptographicOperations.FixedTimeEquals(mac, expected)) return false;
            payload = JsonSerializer.Deserialize<T>(json);
            return payload is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
