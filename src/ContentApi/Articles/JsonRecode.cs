using System.Buffers;
using System.Text.Json;
using ContentApi.Infrastructure;

namespace ContentApi.Articles;

/// <summary>
/// Copies JSON written elsewhere (PostgreSQL's json output: spaces, its own string escaping) token by token into the
/// form the serializer writes: compact, strings escaped by ContentJson's encoder. No object model is built.
/// </summary>
public static class JsonRecode
{
    private static readonly JsonWriterOptions Options = new() { Encoder = ContentJson.Options.Encoder, SkipValidation = true };

    public static byte[] Compact(ReadOnlySpan<byte> json)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped) writer.WritePropertyName(reader.GetString()!);
                        else writer.WritePropertyName(reader.ValueSpan);
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped) writer.WriteStringValue(reader.GetString());
                        else writer.WriteStringValue(reader.ValueSpan);
                        break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }
        return buffer.WrittenSpan.ToArray();
    }
}
