using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentApi.Revisions;

/// <summary>One RFC 6902 JSON Patch operation.</summary>
public sealed record JsonPatchOperation
{
    /// <summary>add, remove or replace.</summary>
    public required JsonPatchOp Op { get; init; }

    /// <summary>The JSON Pointer (RFC 6901) of the changed value.</summary>
    public required string Path { get; init; }

    /// <summary>The new value (add, replace); absent for remove.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Value { get; init; }
}
