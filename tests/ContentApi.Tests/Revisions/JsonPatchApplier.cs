using System.Text.Json.Nodes;

namespace ContentApi.Tests.Revisions;

/// <summary>Applies RFC 6902 add/remove/replace to a document, strictly: a path that does not exist fails the test.</summary>
public static class JsonPatchApplier
{
    public static JsonNode? Apply(JsonNode? document, JsonArray patch)
    {
        var root = document?.DeepClone();
        foreach (var op in patch.Select(o => o!.AsObject()))
        {
            var path = (string)op["path"]!;
            var kind = (string)op["op"]!;
            var value = op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : null;
            if (path == "")
            {
                Assert.Equal("replace", kind);
                root = value;
                continue;
            }
            var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
            var parent = root!;
            foreach (var t in tokens[..^1])
                parent = parent is JsonArray a ? a[int.Parse(t)]! : parent[t]!;
            var last = tokens[^1];
            switch (parent, kind)
            {
                case (JsonArray array, "add"): array.Insert(last == "-" ? array.Count : int.Parse(last), value); break;
                case (JsonArray array, "remove"): Assert.InRange(int.Parse(last), 0, array.Count - 1); array.RemoveAt(int.Parse(last)); break;
                case (JsonArray array, "replace"): Assert.InRange(int.Parse(last), 0, array.Count - 1); array[int.Parse(last)] = value; break;
                case (JsonObject obj, "add"): obj[last] = value; break;
                case (JsonObject obj, "remove"): Assert.True(obj.Remove(last), $"remove {path}: no such member"); break;
                case (JsonObject obj, "replace"): Assert.True(obj.ContainsKey(last), $"replace {path}: no such member"); obj[last] = value; break;
                default: Assert.Fail($"unexpected op {kind} at {path}"); break;
            }
        }
        return root;
    }
}
