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

    // Scratch space per thread (Write never awaits): a page writes a hundred articles of a few kilobytes each.
    [ThreadStatic] private static ArrayBufferWriter<byte>? bodyBuffer, shellBuffer;
    [ThreadStatic] private static Utf8JsonWriter? shellWriter;

    public override SyncArticle Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The sync feed is only written.");

    public override void Write(Utf8JsonWriter writer, SyncArticle value, JsonSerializerOptions options)
    {
        var row = value.Row;
        var responseInfo = options.GetTypeInfo(typeof(ArticleResponse));
        var body = bodyBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        body.ResetWrittenCount();
        var copied = value.Utf8Body is { } utf8 ? BodyCopier.For(options).TryCopy(utf8, body) : BodyCopier.For(options).TryCopy(row.Body, body);
        if (!copied)
        {
            var read = value.Utf8Body is { } bytes ? row with { Body = Encoding.UTF8.GetString(bytes) } : row;
            JsonSerializer.Serialize(writer, read.ToResponse(), responseInfo);
            return;
        }
        var shell = shellBuffer ??= new ArrayBufferWriter<byte>(4 * 1024);
        shell.ResetWrittenCount();
        var shellJson = shellWriter;
        if (shellJson is null || shellJson.Options.Encoder != options.Encoder)
            shellWriter = shellJson = new Utf8JsonWriter(shell, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
        shellJson.Reset(shell);
        JsonSerializer.Serialize(shellJson, (row with { Body = "[]" }).ToResponse(), responseInfo);
        shellJson.Flush();
        var at = shell.WrittenSpan.IndexOf(EmptyBody);
        if (at < 0) throw new InvalidOperationException("An article response without its body property.");
        var bodyAt = at + EmptyBody.Length - 2;
        var length = shell.WrittenCount - 2 + body.WrittenCount;
        var whole = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            shell.WrittenSpan[..bodyAt].CopyTo(whole);
            body.WrittenSpan.CopyTo(whole.AsSpan(bodyAt));
            shell.WrittenSpan[(bodyAt + 2)..].CopyTo(whole.AsSpan(bodyAt + body.WrittenCount));
            writer.WriteRawValue(whole.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(whole);
        }
    }
}
