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
/// missing property, an unknown type, a value of another kind) makes <c>TryCopy</c> return false, and the
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

    // One writer per thread, reset for each body (TryCopy never awaits).
    [ThreadStatic] private static Utf8JsonWriter? writers;

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
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, utf8);
            return TryCopy(utf8.AsSpan(0, length), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>The same for a stored body's UTF-8 text, as PostgreSQL sends it.</summary>
    public bool TryCopy(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (blocks is null) return false;
        byte[]? text = null;
        try
        {
            var readerOptions = new JsonReaderOptions { MaxDepth = options.MaxDepth };
            var reader = new Utf8JsonReader(data, readerOptions);
            var writer = writers;
            if (writer is null || writer.Options.Encoder != options.Encoder)
                writers = writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
            writer.Reset(output);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
            writer.WriteStartArray();
            // Per property of the block being read: its name's index in names, where its value starts and ends in data,
            // and whether it is a string without escapes.
            Span<int> found = stackalloc int[4 * MaxProperties];
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
                    found[4 * count] = name;
                    found[4 * count + 1] = checked((int)reader.TokenStartIndex);
                    // A string without escapes is its own text: written from here, not read a second time.
                    found[4 * count + 3] = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped ? 1 : 0;
                    reader.Skip();
                    found[4 * count + 2] = checked((int)reader.BytesConsumed);
                    count++;
                }
                if (block is null || count != block.Fields.Length)
                    return false;
                writer.WriteStartObject();
                writer.WriteString(discriminator, block.Tag);
                foreach (var field in block.Fields)
                {
                    var k = 0;
                    while (k < count && found[4 * k] != field.NameIndex) k++;
                    if (k == count) return false;
                    var value = data[found[4 * k + 1]..found[4 * k + 2]];
                    writer.WritePropertyName(field.Name);
                    if (found[4 * k + 3] == 1 && field.Info is null)
                    {
                        writer.WriteStringValue(value[1..^1]);
                        continue;
                    }
                    var r = new Utf8JsonReader(value, readerOptions);
                    r.Read();
                    if (field.Info is null)
                    {
                        if (r.TokenType == JsonTokenType.Null) writer.WriteNullValue();
                        else if (r.TokenType != JsonTokenType.String) return false;
                        else
                        {
                            if (text is null || r.ValueSpan.Length > text.Length)
                            {
                                if (text is not null) ArrayPool<byte>.Shared.Return(text);
                                text = ArrayPool<byte>.Shared.Rent(Math.Max(4096, r.ValueSpan.Length));
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
            writer.Flush();
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (text is not null) ArrayPool<byte>.Shared.Return(text);
            writers?.Reset();
        }
    }
}
