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
