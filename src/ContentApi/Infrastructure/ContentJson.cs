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
}
