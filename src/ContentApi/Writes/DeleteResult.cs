using ContentApi.Infrastructure;

namespace ContentApi.Writes;

/// <summary>What a delete found: done, gone already, changed meanwhile, or still referenced.</summary>
public sealed record DeleteResult(bool Deleted, int? CurrentVersion, IReadOnlyList<Usage> UsedBy)
{
    public static readonly DeleteResult NotFound = new(false, null, []);

    public Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.NoContent, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult> ToHttp(string resource, Guid id) => this switch
    {
        { Deleted: true } => TypedResults.NoContent(),
        { CurrentVersion: null } => Problems.NotFound(resource, id.ToString()),
        { UsedBy.Count: > 0 } => Problems.InUse(resource, UsedBy),
        _ => Problems.VersionMismatch(CurrentVersion.Value),
    };
}
