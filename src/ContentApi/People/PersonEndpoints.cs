using System.Security.Claims;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.People;

public static class PersonEndpoints
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string> { "quotes", "articles" };

    public static RouteGroupBuilder MapPeople(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/people").WithTags("People").WithResourceConventions();
        var reads = group.MapReads();
        var writes = group.MapWrites();

        reads.MapGet("/", List).WithName("ListPeople").WithSummary("List people")
            .WithDescription("People by name. q matches names and aliases typo-tolerantly (\"Jake Sulivan\" finds Jake Sullivan).")
            .WithValidation<ListPeopleQuery>();
        reads.MapGet("/{idOrSlug}", Get).WithName("GetPerson").WithSummary("Get a person by id or slug")
            .WithDescription("include=quotes,articles embeds the newest 20 of each.");
        writes.MapPost("/", Create).WithName("CreatePerson").WithSummary("Create a person")
            .WithValidation<PersonRequest>().WithIdempotency<PersonRequest>();
        writes.MapPut("/{id:guid}", Replace).WithName("ReplacePerson").WithSummary("Replace a person")
            .WithValidation<PersonRequest>();
        writes.MapPatch("/{id:guid}", Patch).WithName("PatchPerson").WithSummary("Change a person with a JSON Merge Patch")
            .Accepts<PersonRequest>(MergePatch.MediaType);
        writes.MapDelete("/{id:guid}", Delete).WithName("DeletePerson").WithSummary("Delete a person")
            .WithDescription("Refused with 409 in_use while a quote or article refers to the person.");
        return group;
    }

    public static async Task<Results<Ok<Page<PersonResponse>>, ProblemHttpResult>> List(
        [AsParameters] ListPeopleQuery query, PersonRepository people, CursorCodec cursors, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(query.Include, Allowed, out var include, out var error))
            return Problems.Validation("include", error!);
        if (!cursors.TryRead(query.Cursor, "people", CursorKey.Text, out var after))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var limit = query.Limit ?? Limits.DefaultPageSize;
        var (items, more) = await people.ListAsync(query.Q?.Trim(), after, limit, user.Audience(), include, ct);
        return TypedResults.Ok(new Page<PersonResponse>(items, more ? cursors.Encode(PersonRepository.KeysetOf(items[^1])) : null));
    }

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> Get(
        string idOrSlug, string? include, PersonRepository people, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(include, Allowed, out var includes, out var error))
            return Problems.Validation("include", error!);
        var person = await people.GetAsync(IdOrSlug.Parse(idOrSlug), user.Audience(), includes, ct);
        return person is null ? Problems.NotFound("person", idOrSlug) : TypedResults.Ok(person);
    }

    public static async Task<Results<CreatedAtRoute<PersonResponse>, ProblemHttpResult>> Create(
        PersonRequest request, PersonRepository people, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await people.CreateAsync(request, user.Actor(), ct);
        return TypedResults.CreatedAtRoute(created, "GetPerson", new { idOrSlug = created.Id });
    }

    public static Task<Results<Ok<PersonResponse>, ProblemHttpResult>> Replace(
        Guid id, PersonRequest request, IfMatch ifMatch, PersonRepository people, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.SaveAsync("person", id, ifMatch.Version, v => people.UpdateAsync(id, request, v, user.Actor(), ct), () => people.VersionAsync(id, ct));

    public static Task<Results<Ok<PersonResponse>, ProblemHttpResult>> Patch(
        Guid id, MergePatch patch, IfMatch ifMatch, PersonRepository people,
        IValidator<PersonRequest> validator, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.PatchAsync("person", id, ifMatch, patch, validator,
            () => people.GetAsync(new IdOrSlug(id, null), Audience.Editor, Includes.None, ct), p => p.ToRequest(),
            (r, v) => people.UpdateAsync(id, r, v, user.Actor(), ct), () => people.VersionAsync(id, ct), ct);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, IfMatch ifMatch, PersonRepository people, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.DeleteAsync("person", id, ifMatch, v => people.DeleteAsync(id, v, user.Actor(), ct));
}
