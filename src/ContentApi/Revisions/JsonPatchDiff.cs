using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Revisions;

/// <summary>
/// An RFC 6902 patch from one JSON document to another that reads like the edit: objects member by member, arrays
/// with their common start and end kept, so an edited paragraph is one replace of its text, not a new body.
/// </summary>
public static class JsonPatchDiff
{
    public static List<JsonPatchOperation> Diff(JsonNode? from, JsonNode? to)
    {
        var ops = new List<JsonPatchOperation>();
        Walk("", from, to, ops);
        return ops;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<JsonPatchOperation> ops)
    {
        if (JsonNode.DeepEquals(a, b)) return;
        if (a is JsonObject oa && b is JsonObject ob && SameKind(oa, ob))
        {
            foreach (var (key, _) in oa)
                if (!ob.ContainsKey(key)) ops.Add(new() { Op = JsonPatchOp.Remove, Path = Child(path, key) });
            foreach (var (key, value) in ob)
            {
                if (oa.TryGetPropertyValue(key, out var old)) Walk(Child(path, key), old, value, ops);
                else ops.Add(new() { Op = JsonPatchOp.Add, Path = Child(path, key), Value = Element(value) });
            }
            return;
        }
        if (a is JsonArray aa && b is JsonArray ab)
        {
            var start = 0;
            while (start < aa.Count && start < ab.Count && JsonNode.DeepEquals(aa[start], ab[start])) start++;
            var end = 0;
            while (end < aa.Count - start && end < ab.Count - start && JsonNode.DeepEquals(aa[aa.Count - 1 - end], ab[ab.Count - 1 - end])) end++;
            int na = aa.Count - start - end, nb = ab.Count - start - end, paired = Math.Min(na, nb);
            for (var i = 0; i < paired; i++)
                Walk(Child(path, start + i), aa[start + i], ab[start + i], ops);
            // Removals from the back, so each index still means what it meant; additions go in before the common end.
            for (var i = na - 1; i >= paired; i--)
                ops.Add(new() { Op = JsonPatchOp.Remove, Path = Child(path, start + i) });
            for (var i = paired; i < nb; i++)
                ops.Add(new() { Op = JsonPatchOp.Add, Path = Child(path, start + i), Value = Element(ab[start + i]) });
            return;
        }
        ops.Add(new() { Op = JsonPatchOp.Replace, Path = path, Value = Element(b) });
    }

    // Body blocks of different types share no meaning member by member: one replaces the other.
    private static bool SameKind(JsonObject a, JsonObject b) =>
        !a.TryGetPropertyValue("type", out var ta) || !b.TryGetPropertyValue("type", out var tb) || JsonNode.DeepEquals(ta, tb);

    private static string Child(string path, string key) => path + "/" + key.Replace("~", "~0").Replace("/", "~1");

    private static string Child(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonElement Element(JsonNode? node) =>
        node is null ? JsonDocument.Parse("null").RootElement.Clone() : JsonSerializer.SerializeToElement(node);
}
