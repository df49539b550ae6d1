using ContentApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Writes;

/// <summary>
/// The If-Match protocol every resource shares: the write is guarded by version in SQL, and on a miss the answer
/// is 404 or 412 depending on whether the row still exists. A missing or malformed If-Match never gets here:
/// <see cref="IfMatch"/> answers it while binding.
/// </summary>
public static class ConditionalWrite
{
    /// <summary>JSON Merge Patch: the current resource as its request shape, patched, validated like a PUT, saved like a PUT.</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> PatchAsync<TRequest, TResponse>(
        string resource, Guid id, IfMatch ifMatch, MergePatch patch, IValidator<TRequest> validator,
        Func<Task<TResponse?>> load, Func<TResponse, TRequest> toRequest,
        Func<TRequest, int, Task<TResponse?>> update, Func<Task<int?>> currentVersion, CancellationToken ct)
        where TResponse : class, IVersioned
    {
        var current = await load();
        if (current is null)
            return Problems.NotFound(resource, id.ToString());
        if (current.Version != ifMatch.Version)
            return Problems.VersionMismatch(current.Version);
        var (request, problem) = await patch.ApplyAsync(toRequest(current), validator, ct);
        if (problem is not null)
            return problem;
        return await SaveAsync(resource, id, ifMatch.Version, v => update(request!, v), currentVersion);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string resource, Guid id, IfMatch ifMatch, Func<int, Task<DeleteResult>> delete) =>
        (await delete(ifMatch.Version)).ToHttp(resource, id);

    public static async Task<Results<Ok<T>, ProblemHttpResult>> SaveAsync<T>(
        string resource, Guid id, int expected, Func<int, Task<T?>> update, Func<Task<int?>> currentVersion) where T : class
    {
        var updated = await update(expected);
        if (updated is not null)
            return TypedResults.Ok(updated);
        return await currentVersion() is { } current
            ? Problems.VersionMismatch(current)
            : Problems.NotFound(resource, id.ToString());
    }
}
