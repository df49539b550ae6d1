using System.Security.Claims;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Sources;

public static class SourceEndpoints
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string> { "quotes", "articles" };

    public static RouteGroupBuilder MapSources(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sources").WithTags("Sources").WithResourceConventions();
        var reads = group.MapReads();
        var writes = group.MapWrites();

        reads.MapGet("/", List).WithName("ListSources").WithSummary("List sources")
            .WithDescription("Sources by name. q matches names typo-tolerantly; kind filters by kind.")
            .WithValidation<ListSourcesQuery>();
        reads.MapGet("/{idOrSlug}", Get).WithName("GetSource").WithSummary("Get a source by id or slug")
            .WithDescription("include=quotes,articles embeds the newest 20 of each.");
        writes.MapPost("/", Create).WithName("CreateSource").WithSummary("Create a source")
            .WithValidation<SourceRequest>().WithIdempotency<SourceRequest>();
        writes.MapPut("/{id:guid}", Replace).WithName("ReplaceSource").WithSummary("Replace a source")
            .WithValidation<SourceRequest>();
        writes.MapPatch("/{id:guid}", Patch).WithName("PatchSource").WithSummary("Change a source with a JSON Merge Patch")
            .Accepts<SourceRequest>(MergePatch.MediaType);
        writes.MapDelete("/{id:guid}", Delete).WithName("DeleteSource").WithSummary("Delete a source")
            .WithDescription("Refused with 409 in_use while a quote or article refers to the source.");
        return group;
    }

    public static async Task<Results<Ok<Page<SourceResponse>>, ProblemHttpResult>> List(
        [AsParameters] ListSourcesQuery query, SourceRepository sources, CursorCodec cursors, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(query.Include, Allowed, out var include, out var error))
            return Problems.Validation("include", error!);
        if (!cursors.TryRead(query.Cursor, "sources", CursorKey.Text, out var after))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var limit = query.Limit ?? Limits.DefaultPageSize;
        SourceKind? kind = Wire<SourceKind>.TryParse(query.Kind, out var k) ? k : null;
        var (items, more) = await sources.ListAsync(query.Q, kind, after, limit, user.Audience(), include, ct);
        return TypedResults.Ok(new Page<SourceResponse>(items, more ? cursors.Encode(SourceRepository.KeysetOf(items[^1])) : null));
    }

    public static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Get(
        string idOrSlug, string? include, SourceRepository sources, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(include, Allowed, out var includes, out var error))
            return Problems.Validation("include", error!);
        var source = await sources.GetAsync(IdOrSlug.Parse(idOrSlug), user.Audience(), includes, ct);
        return source is null ? Problems.NotFound("source", idOrSlug) : TypedResults.Ok(source);
    }

    public static async Task<Results<CreatedAtRoute<SourceResponse>, ProblemHttpResult>> Create(
        SourceRequest request, SourceRepository sources, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await sources.CreateAsync(request, user.Actor(), ct);
        return TypedResults.CreatedAtRoute(created, "GetSource", new { idOrSlug = created.Id });
    }

    public static Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Replace(
        Guid id, SourceRequest request, IfMatch ifMatch, SourceRepository sources, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.SaveAsync("source", id, ifMatch.Version, v => sources.UpdateAsync(id, request, v, user.Actor(), ct), () => sources.VersionAsync(id, ct));

    public static Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Patch(
        Guid id, MergePatch patch, IfMatch ifMatch, SourceRepository sources,
        IValidator<SourceRequest> validator, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.PatchAsync("source", id, ifMatch, patch, validator,
            () => sources.GetAsync(new IdOrSlug(id, null), Audience.Editor, Includes.None, ct), s => s.ToRequest(),
            (r, v) => sources.UpdateAsync(id, r, v, user.Actor(), ct), () => sources.VersionAsync(id, ct), ct);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, IfMatch ifMatch, SourceRepository sources, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.DeleteAsync("source", id, ifMatch, v => sources.DeleteAsync(id, v, user.Actor(), ct));
}
