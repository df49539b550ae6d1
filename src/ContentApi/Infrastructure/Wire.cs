using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentApi.Infrastructure;

/// <summary>
/// Enum values as the contract spells them ("reported-via", "broadcaster"), used for the database's text columns
/// so rows and JSON agree. Names come from [JsonStringEnumMemberName] or camelCase, like the JSON converter.
/// </summary>
public static class Wire<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> Names = Enum.GetValues<T>().ToFrozenDictionary(v => v, NameOf);
    private static readonly FrozenDictionary<string, T> Values = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Name(T value) => Names[value];

    public static T Parse(string name) => Values.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"'{name}' is not a {typeof(T).Name} value.");

    public static bool TryParse(string? name, out T value) => Values.TryGetValue(name ?? "", out value);

    private static string NameOf(T value)
    {
        var member = typeof(T).GetField(value.ToString())!;
        return member.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
    }
}

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
