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

    // A block with more properties than this is written the long way.
    private const int MaxProperties = 8;

    private readonly JsonSerializerOptions options;
    private readonly Block[]? blocks;
    private readonly byte[][] names = [];
    private readonly JsonEncodedText discriminator;

    private sealed record Block(byte[] Utf8Tag, JsonEncodedText Tag, Field[] Fields);

    /// <summary>A block property: its written name, its index in <see cref="names"/>, and its metadata unless it is a string (copied without parsing).</summary>
    private sealed record Field(JsonEncodedText Name, int NameIndex, JsonTypeInfo? Info);

    public static BodyCopier For(JsonSerializerOptions options) => Copiers.GetValue(options, o => new BodyCopier(o));

    private BodyCopier(JsonSerializerOptions options)
    {
        this.options = options;
        var info = options.GetTypeInfo(typeof(BodyBlock));
        if (info.PolymorphismOptions is not { } poly || info.Kind != JsonTypeInfoKind.Object || info.Properties.Count > 0)
            return;
        var found = new List<Block>();
        var allNames = new List<string>();
        foreach (var derived in poly.DerivedTypes)
        {
            var typeInfo = options.GetTypeInfo(derived.DerivedType);
            if (derived.TypeDiscriminator is not string tag || typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.PolymorphismOptions is not null
                || typeInfo.Properties.Count > MaxProperties)
                return;
            var fields = new List<Field>();
            foreach (var p in typeInfo.Properties)
            {
                // Only what the serializer writes unconditionally, with the converter of the property's type.
                if (p.Get is null || p.ShouldSerialize is not null || p.CustomConverter is not null || p.IsExtensionData
                    || p.Name == poly.TypeDiscriminatorPropertyName)
                    return;
                if (!allNames.Contains(p.Name)) allNames.Add(p.Name);
                fields.Add(new Field(JsonEncodedText.Encode(p.Name, options.Encoder), allNames.IndexOf(p.Name),
                    p.PropertyType == typeof(string) ? null : options.GetTypeInfo(p.PropertyType)));
            }
            found.Add(new Block(Encoding.UTF8.GetBytes(tag), JsonEncodedText.Encode(tag, options.Encoder), [.. fields]));
        }
        discriminator = JsonEncodedText.Encode(poly.TypeDiscriminatorPropertyName, options.Encoder);
        names = [.. allNames.Select(Encoding.UTF8.GetBytes)];
        blocks = [.. found];
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
            var data = utf8.AsSpan(0, length);
            var readerOptions = new JsonReaderOptions { MaxDepth = options.MaxDepth };
            var reader = new Utf8JsonReader(data, readerOptions);
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
            writer.WriteStartArray();
            // Per property of the block being read: its name's index in names, where its value starts and ends in data.
            Span<int> found = stackalloc int[3 * MaxProperties];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                Block? block = null;
                var count = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(discriminator.EncodedUtf8Bytes))
                    {
                        if (block is not null || !reader.Read() || reader.TokenType != JsonTokenType.String) return false;
                        foreach (var candidate in blocks)
                            if (reader.ValueTextEquals(candidate.Utf8Tag)) block = candidate;
                        if (block is null) return false;
                        continue;
                    }
                    var name = 0;
                    while (name < names.Length && !reader.ValueTextEquals(names[name])) name++;
                    if (name == names.Length) return false;
                    if (count == MaxProperties) return false;
                    reader.Read();
                    found[3 * count] = name;
                    found[3 * count + 1] = checked((int)reader.TokenStartIndex);
                    reader.Skip();
                    found[3 * count + 2] = checked((int)reader.BytesConsumed);
                    count++;
                }
                if (block is null || count != block.Fields.Length)
                    return false;
                writer.WriteStartObject();
                writer.WriteString(discriminator, block.Tag);
                foreach (var field in block.Fields)
                {
                    var k = 0;
                    while (k < count && found[3 * k] != field.NameIndex) k++;
                    if (k == count) return false;
                    var r = new Utf8JsonReader(data[found[3 * k + 1]..found[3 * k + 2]], readerOptions);
                    r.Read();
                    writer.WritePropertyName(field.Name);
                    if (field.Info is null)
                    {
                        if (r.TokenType == JsonTokenType.Null) writer.WriteNullValue();
                        else if (r.TokenType != JsonTokenType.String) return false;
                        else
                        {
                            if (r.ValueSpan.Length > text.Length)
                            {
                                ArrayPool<byte>.Shared.Return(text);
                                text = ArrayPool<byte>.Shared.Rent(r.ValueSpan.Length);
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
}
