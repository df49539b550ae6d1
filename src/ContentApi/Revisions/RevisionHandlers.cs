using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ContentApi.Revisions;

/// <summary>The revision routes of one resource type; <see cref="RevisionEndpoints"/> maps them for all four.</summary>
public static class RevisionHandlers<TRequest, TResponse> where TResponse : class, IVersioned
{
    // States are read back into the response type only to become a request; members a later contract dropped are skipped.
    private static readonly JsonSerializerOptions StateOptions = new(ContentJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    public static async Task<Results<Ok<Page<RevisionSummary>>, ProblemHttpResult>> List(
        Guid id, [AsParameters] RevisionListQuery query, RevisionTarget<TRequest, TResponse> target, RevisionRepository revisions,
        CursorCodec cursors, CancellationToken ct)
    {
        // The list name carries the item: a cursor of one item's history cannot page another's.
        var list = $"revisions:{target.Entity}:{id}";
        if (!cursors.TryRead(query.Cursor, list, CursorKey.Text, out var after) || (after?.K is { } k && !int.TryParse(k, CultureInfo.InvariantCulture, out _)))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var before = after?.K is { } key ? int.Parse(key, CultureInfo.InvariantCulture) : int.MaxValue;
        var limit = query.Limit ?? Limits.DefaultPageSize;
        var rows = await revisions.ListAsync(target.Entity, id, before, limit + 1, ct);
        if (rows.Count == 0 && after is null && await target.VersionAsync(id, ct) is null)
            return Problems.NotFound(target.Entity, id.ToString());
        var items = rows.Take(limit).Select(r => r.ToSummary()).ToList();
        var next = rows.Count > limit ? cursors.Encode(new Keyset(list, items[^1].Version.ToString(CultureInfo.InvariantCulture), id)) : null;
        return TypedResults.Ok(new Page<RevisionSummary>(items, next));
    }

    public static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> Get(
        Guid id, int version, RevisionTarget<TRequest, TResponse> target, RevisionRepository revisions, CancellationToken ct)
    {
        var row = await revisions.GetAsync(target.Entity, id, version, ct);
        return row is null ? NoRevision(target, id, version) : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<RevisionDiff>, ProblemHttpResult>> Diff(
        Guid id, int version, [FromQuery] int to, RevisionTarget<TRequest, TResponse> target, RevisionRepository revisions, CancellationToken ct)
    {
        var from = await revisions.GetAsync(target.Entity, id, version, ct);
        if (from is null) return NoRevision(target, id, version);
        var other = await revisions.GetAsync(target.Entity, id, to, ct);
        if (other is null) return NoRevision(target, id, to);
        return TypedResults.Ok(new RevisionDiff { From = version, To = to, Patch = JsonPatchDiff.Diff(JsonNode.Parse(from.State!), JsonNode.Parse(other.State!)) });
    }

    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> Restore(
        Guid id, int version, IfMatch ifMatch, RevisionTarget<TRequest, TResponse> target,
        RevisionRepository revisions, IValidator<TRequest> validator, ClaimsPrincipal user, CancellationToken ct)
    {
        var expected = ifMatch.Version;
        var row = await revisions.GetAsync(target.Entity, id, version, ct);
        if (row is null) return NoRevision(target, id, version);
        var (request, invalid) = await RequestOf(row, target, validator, ct);
        if (invalid is not null) return invalid;
        var (item, problem) = await target.UpdateAsync(id, request!, expected, user.Actor() with { Op = RevisionOps.Restore }, ct);
        if (problem is not null) return problem;
        if (item is not null) return TypedResults.Ok(item);
        return await target.VersionAsync(id, ct) is { } current
            ? Problems.VersionMismatch(current)
            : Problems.NotFound(target.Entity, id.ToString());
    }

    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> Undelete(
        Guid id, RevisionTarget<TRequest, TResponse> target, RevisionRepository revisions, IValidator<TRequest> validator,
        IOptions<RevisionOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var last = await revisions.LastAsync(target.Entity, id, ct);
        if (await target.VersionAsync(id, ct) is not null)
            return Problems.Make(StatusCodes.Status409Conflict, Problems.Conflict, "Not deleted", $"The {target.Entity} {id} exists; only a deleted one can be brought back.");
        var retention = TimeSpan.FromDays(options.Value.DeletedRetentionDays);
        if (last is null || last.Op != RevisionOps.Delete || DateTime.SpecifyKind(last.ChangedAt, DateTimeKind.Utc) < DateTime.UtcNow - retention)
            return Problems.NotFound(target.Entity, id.ToString());
        var (request, invalid) = await RequestOf(last, target, validator, ct);
        if (invalid is not null) return invalid;
        return TypedResults.Ok(await target.InsertAsync(id, last.Version + 1, request!, user.Actor() with { Op = RevisionOps.Undelete }, ct));
    }

    /// <summary>A kept state as the request that writes it, validated like any write: rules may have changed since.</summary>
    private static async Task<(TRequest? Request, ProblemHttpResult? Problem)> RequestOf(
        RevisionRow row, RevisionTarget<TRequest, TResponse> target, IValidator<TRequest> validator, CancellationToken ct)
    {
        var request = target.ToRequest(JsonSerializer.Deserialize<TResponse>(row.State!, StateOptions)!);
        var result = await validator.ValidateAsync(request, ct);
        return result.IsValid
            ? (request, null)
            : (default, Problems.Validation(ValidationErrors.From(result), 422, $"Version {row.Version} no longer passes validation."));
    }

    private static ProblemHttpResult NoRevision(RevisionTarget<TRequest, TResponse> target, Guid id, int version) =>
        Problems.NotFound($"{target.Entity} revision", $"{id} version {version}");
}
