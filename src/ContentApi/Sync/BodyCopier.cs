using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContentApi.Articles;

namespace ContentApi.Sync;

/// <summary>
/// Writes an article body as stored (jsonb text: keys reordered, spaces after separators) exactly as the serializer
/// writes the <see cref="BodyBlock"/> list that reading it would give: each block's discriminator first, then its
/// properties in the order and form the serializer's own metadata says. Anything it cannot vouch for (an unknown or
/// missing property, an unknown type, a value of another kind) makes <see cref="TryCopy"/> return false, and the
/// caller takes the long way, which reads the body as before and fails or fills defaults exactly as before.
/// </summary>
public sealed class BodyCopier
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, BodyCopier> Copiers = new();

    private readonly JsonSerializerOptions options;
    private readonly Dictionary<string, Block>? blocks;
    private readonly JsonEncodedText discriminator;

    private sealed record Block(JsonEncodedText Tag, Field[] Fields);

    /// <summary>A block property: its written name, and its metadata unless it is a string (copied without parsing).</summary>
    private sealed record Field(JsonEncodedText Name, byte[] Utf8Name, JsonTypeInfo? Info);

    public static BodyCopier For(JsonSerializerOptions options) => Copiers.GetValue(options, o => new BodyCopier(o));

    private BodyCopier(JsonSerializerOptions options)
    {
        this.options = options;
        var info = options.GetTypeInfo(typeof(BodyBlock));
        if (info.PolymorphismOptions is not { } poly || info.Kind != JsonTypeInfoKind.Object || info.Properties.Count > 0)
            return;
        var found = new Dictionary<string, Block>(StringComparer.Ordinal);
        foreach (var derived in poly.DerivedTypes)
        {
            var typeInfo = options.GetTypeInfo(derived.DerivedType);
            if (derived.TypeDiscriminator is not string tag || typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.PolymorphismOptions is not null)
                return;
            var fields = new List<Field>();
            foreach (var p in typeInfo.Properties)
            {
                // Only what the serializer writes unconditionally, with the converter of the property's type.
                if (p.Get is null || p.ShouldSerialize is not null || p.CustomConverter is not null || p.IsExtensionData
                    || p.Name == poly.TypeDiscriminatorPropertyName)
                    return;
                fields.Add(new Field(JsonEncodedText.Encode(p.Name, options.Encoder), Encoding.UTF8.GetBytes(p.Name),
                    p.PropertyType == typeof(string) ? null : options.GetTypeInfo(p.PropertyType)));
            }
            found[tag] = new Block(JsonEncodedText.Encode(tag, options.Encoder), [.. fields]);
        }
        discriminator = JsonEncodedText.Encode(poly.TypeDiscriminatorPropertyName, options.Encoder);
        blocks = found;
    }

    /// <summary>Writes <paramref name="json"/> (a stored body) to <paramref name="output"/>; false (output unusable) when it cannot vouch for the bytes.</summary>
    public bool TryCopy(string json, IBufferWriter<byte> output)
    {
        if (blocks is null) return false;
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        var text = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = Encoding.UTF8.GetBytes(json, utf8);
            var reader = new Utf8JsonReader(utf8.AsSpan(0, length), new JsonReaderOptions { MaxDepth = options.MaxDepth });
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
            writer.WriteStartArray();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                // One pass over the object: where each property's value starts, and the block's type.
                var start = reader;
                string? tag = null;
                var count = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    count++;
                    if (reader.ValueTextEquals(discriminator.EncodedUtf8Bytes))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.String) return false;
                        tag = reader.GetString();
                    }
                    else
                        reader.Skip();
                }
                if (tag is null || !blocks.TryGetValue(tag, out var block) || count != block.Fields.Length + 1)
                    return false;
                writer.WriteStartObject();
                writer.WriteString(discriminator, block.Tag);
                for (var i = 0; i < block.Fields.Length; i++)
                {
                    var field = block.Fields[i];
                    if (!TryFind(start, field.Utf8Name, out var r)) return false;
                    writer.WritePropertyName(field.Name);
                    if (field.Info is null)
                    {
                        if (r.TokenType == JsonTokenType.Null) writer.WriteNullValue();
                        else if (r.TokenType != JsonTokenType.String) return false;
                        else
                        {
                            var needed = r.HasValueSequence ? checked((int)r.ValueSequence.Length) : r.ValueSpan.Length;
                            if (needed > text.Length)
                            {
                                ArrayPool<byte>.Shared.Return(text);
                                text = ArrayPool<byte>.Shared.Rent(needed);
                            }
                            var written = r.CopyString(text);
                            writer.WriteStringValue(text.AsSpan(0, written));
                        }
                    }
                    else
                        JsonSerializer.Serialize(writer, JsonSerializer.Deserialize(ref r, field.Info), field.Info);
                }
                writer.WriteEndObject();
            }
            if (reader.TokenType != JsonTokenType.EndArray || reader.Read()) return false;
            writer.WriteEndArray();
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    /// <summary>A reader on the value of property <paramref name="name"/> of the object <paramref name="start"/> is on.</summary>
    private static bool TryFind(Utf8JsonReader start, byte[] name, out Utf8JsonReader value)
    {
        value = start;
        while (value.Read() && value.TokenType == JsonTokenType.PropertyName)
        {
            var match = value.ValueTextEquals(name);
            value.Read();
            if (match) return true;
            value.Skip();
        }
        return false;
    }
}
