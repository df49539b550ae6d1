using ContentApi.Infrastructure;
using ContentApi.Writes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Revisions;

/// <summary>
/// What the revision routes need of one resource type: its names, its request shape, and its repository's writes
/// (an update guarded by version, an insert with a given id and version for undelete).
/// </summary>
public sealed class RevisionTarget<TRequest, TResponse>(
    string path, string entity, string tag,
    Func<TResponse, TRequest> toRequest,
    Func<Guid, TRequest, int, Actor, CancellationToken, Task<(TResponse? Item, ProblemHttpResult? Problem)>> update,
    Func<Guid, int, TRequest, Actor, CancellationToken, Task<TResponse>> insert,
    Func<Guid, CancellationToken, Task<int?>> version)
    where TResponse : class, IVersioned
{
    /// <summary>The route segment: articles, quotes, people, sources.</summary>
    public string Path => path;

    /// <summary>The type name revisions keep: article, quote, person, source.</summary>
    public string Entity => entity;

    /// <summary>The resource's OpenAPI tag and operation-id stem (Article, Quote, Person, Source).</summary>
    public string Tag => tag;

    public TRequest ToRequest(TResponse state) => toRequest(state);

    public Task<(TResponse? Item, ProblemHttpResult? Problem)> UpdateAsync(Guid id, TRequest r, int expected, Actor actor, CancellationToken ct) =>
        update(id, r, expected, actor, ct);

    public Task<TResponse> InsertAsync(Guid id, int version, TRequest r, Actor actor, CancellationToken ct) => insert(id, version, r, actor, ct);

    public Task<int?> VersionAsync(Guid id, CancellationToken ct) => version(id, ct);
}
