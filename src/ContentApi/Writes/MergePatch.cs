using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Infrastructure;
using ContentApi.Validation;

namespace ContentApi.Writes;

/// <summary>A JSON Merge Patch (RFC 7396) body, read only from application/merge-patch+json.</summary>
public sealed class MergePatch(JsonObject document)
{
    public const string MediaType = "application/merge-patch+json";

    public JsonObject Document { get; } = document;

    public static async ValueTask<MergePatch?> BindAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase))
            throw new BadHttpRequestException($"PATCH takes {MediaType}.", StatusCodes.Status415UnsupportedMediaType);
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 },
                cancellationToken: context.RequestAborted);
            // Parsing checks neither names nor escapes: a name that is not UTF-8 or an escape that is not Unicode
            // text (a lone surrogate such as \ud800) only throws when read, so read them all now, not mid-merge (a 500).
            ReadEveryString(node);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The JSON is malformed.", StatusCodes.Status400BadRequest, e);
        }
        catch (InvalidOperationException e)
        {
            throw new BadHttpRequestException("The JSON is malformed.", StatusCodes.Status400BadRequest, new JsonException(e.Message, e));
        }
        return node is JsonObject obj
            ? new MergePatch(obj)
            : throw new BadHttpRequestException("A merge patch must be a JSON object.", StatusCodes.Status400BadRequest,
                new JsonException("A merge patch must be a JSON object.", "$", null, null));
    }

    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj) ReadEveryString(value);
                break;
            case JsonArray array:
                foreach (var item in array) ReadEveryString(item);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    /// <summary>Merges the patch into <paramref name="current"/>, reads the result as a request and validates it like a PUT body.</summary>
    public async Task<(T? Request, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> ApplyAsync<T>(
        T current, FluentValidation.IValidator<T> validator, CancellationToken ct)
    {
        if (!TryApply(current, ContentJson.Options, out var patched, out var errors))
            return (default, Problems.Validation(errors!));
        var result = await validator.ValidateAsync(patched!, ct);
        return result.IsValid ? (patched, null) : (default, Problems.Validation(ValidationErrors.From(result)));
    }

    /// <summary>
    /// Applies the patch to <paramref name="current"/> (the resource as its request shape) and reads the result back.
    /// Returns the problem to answer when the patched document does not fit the request shape.
    /// </summary>
    public bool TryApply<T>(T current, JsonSerializerOptions options, out T? patched, out IDictionary<string, string[]>? errors)
    {
        var target = JsonSerializer.SerializeToNode(current, options)!;
        var merged = Merge(target, Document);
        errors = null;
        try
        {
            patched = merged.Deserialize<T>(options);
            if (patched is null) errors = new Dictionary<string, string[]> { [""] = ["The patch removes the whole resource."] };
        }
        catch (JsonException e)
        {
            patched = default;
            errors = JsonErrors.DescribeAll(e).GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray());
        }
        return errors is null;
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
                result.Remove(name);
            else
                result[name] = Merge(result[name], value);
        }
        return result;
    }
}
