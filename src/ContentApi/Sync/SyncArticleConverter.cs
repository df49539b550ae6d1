using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContentApi.Articles;

namespace ContentApi.Sync;

/// <summary>
/// Writes a <see cref="SyncArticle"/> as the <see cref="ArticleResponse"/> its row makes, byte for byte: the response
/// without its body, with the stored body copied in by <see cref="BodyCopier"/>. A body the copier cannot vouch for
/// goes the long way (parsed into blocks and written again), so the bytes never depend on which way was taken.
/// </summary>
public sealed class SyncArticleConverter : JsonConverter<SyncArticle>
{
    // What the body is replaced with in the written response: no string value can hold it unescaped.
    private static readonly byte[] EmptyBody = "\"body\":[]"u8.ToArray();

    public override SyncArticle Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The sync feed is only written.");

    public override void Write(Utf8JsonWriter writer, SyncArticle value, JsonSerializerOptions options)
    {
        var row = value.Row;
        var responseInfo = options.GetTypeInfo(typeof(ArticleResponse));
        var body = new ArrayBufferWriter<byte>(Encoding.UTF8.GetMaxByteCount(row.Body.Length) / 2 + 256);
        if (!BodyCopier.For(options).TryCopy(row.Body, body))
        {
            JsonSerializer.Serialize(writer, row.ToResponse(), responseInfo);
            return;
        }
        var shell = JsonSerializer.SerializeToUtf8Bytes((row with { Body = "[]" }).ToResponse(), responseInfo);
        var at = shell.AsSpan().IndexOf(EmptyBody);
        if (at < 0) throw new InvalidOperationException("An article response without its body property.");
        var bodyAt = at + EmptyBody.Length - 2;
        var whole = new byte[shell.Length - 2 + body.WrittenCount];
        shell.AsSpan(0, bodyAt).CopyTo(whole);
        body.WrittenSpan.CopyTo(whole.AsSpan(bodyAt));
        shell.AsSpan(bodyAt + 2).CopyTo(whole.AsSpan(bodyAt + body.WrittenCount));
        writer.WriteRawValue(whole, skipInputValidation: true);
    }
}
