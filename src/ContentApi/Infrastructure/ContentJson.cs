using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentApi.Infrastructure;

/// <summary>The one set of JSON rules, for HTTP bodies and for the JSON the repositories keep in jsonb columns.</summary>
public static class ContentJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new StrictEnumConverterFactory());
        // Never used for reading or writing (the strict one comes first); it tells Swashbuckle enums are strings.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        // Texts in Indonesian, Korean or Arabic go out as themselves, not as \u escapes; JSON is never embedded in HTML here.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // A typo in a field name is an error, not a silently dropped value; id, version and timestamps cannot be set.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowOutOfOrderMetadataProperties = true;
        options.MaxDepth = 32;
        return options;
    }

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// The same rules for writing responses, with the source-generated contracts first in the resolver chain and
    /// reflection behind them. Only for writing: generated metadata sets init-only properties it did not read to
    /// their default, which would undo defaults like a heading's level 2 when reading requests. One instance for the
    /// process: options cache their metadata, and a fresh instance per request rebuilt it every time.
    /// </summary>
    public static readonly JsonSerializerOptions Writing = ForWriting(Options);

    private static JsonSerializerOptions ForWriting(JsonSerializerOptions options)
    {
        var writing = new JsonSerializerOptions(options);
        if (writing.TypeInfoResolverChain.Count == 0)
            writing.TypeInfoResolverChain.Add(new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver());
        writing.TypeInfoResolverChain.Insert(0, ContentJsonContext.Default);
        writing.MakeReadOnly();
        return writing;
    }
}
