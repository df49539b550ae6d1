using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentApi.Infrastructure;

/// <summary>
/// Enums in JSON exactly as the contract spells them: "reader", not "Reader", " reader" or 0. The framework's
/// converter reads case-insensitively and would accept what the list filters refuse.
/// </summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Wire<T>.TryParse(reader.GetString(), out var value))
                return value;
            throw new JsonException($"Use one of: {string.Join(", ", Wire<T>.All)}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Wire<T>.Name(value));
    }
}
