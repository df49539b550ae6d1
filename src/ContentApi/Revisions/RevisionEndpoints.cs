using ContentApi.Articles;
using ContentApi.Auth;
using ContentApi.Delivery;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using ContentApi.Validation;

namespace ContentApi.Revisions;

public static class RevisionEndpoints
{
    /// <summary>History, diff, restore and undelete under /{articles|quotes|people|sources}/{id}: editors only.</summary>
    public static IEndpointRouteBuilder MapRevisions(this IEndpointRouteBuilder v1)
    {
        Map<ArticleRequest, ArticleResponse>(v1, "articles", "Article");
        Map<QuoteRequest, QuoteResponse>(v1, "quotes", "Quote");
        Map<PersonRequest, PersonResponse>(v1, "people", "Person");
        Map<SourceRequest, SourceResponse>(v1, "sources", "Source");
        return v1;
    }

    private static void Map<TRequest, TResponse>(IEndpointRouteBuilder v1, string path, string name) where TResponse : class, IVersioned
    {
        // Editors only, reads included; only restore and undelete write (and evict).
        var one = name == "Article" ? "an article" : "a " + name.ToLowerInvariant();
        var group = v1.MapGroup($"/{path}/{{id:guid}}").WithTags("Revisions").RequireAuthorization(Policies.Write).WithResourceConventions();

        group.MapGet("/revisions", RevisionHandlers<TRequest, TResponse>.List).WithName($"List{name}Revisions")
            .WithSummary($"List {one}'s revisions")
            .WithDescription("Newest first: every create, update, publish, unpublish, delete, restore and undelete, with who made it and when. Deleted items keep their history.")
            .WithValidation<RevisionListQuery>();
        group.MapGet("/revisions/{version:int}", RevisionHandlers<TRequest, TResponse>.Get).WithName($"Get{name}Revision")
            .WithSummary($"Get one revision of {one}, with its full state");
        group.MapGet("/revisions/{version:int}/diff", RevisionHandlers<TRequest, TResponse>.Diff).WithName($"Diff{name}Revisions")
            .WithSummary($"What changed between two revisions of {one}")
            .WithDescription("patch is an RFC 6902 JSON Patch that turns the state of {version} into the state of ?to=; an edited paragraph is a replace of its text.");
        group.MapPost("/revisions/{version:int}/restore", RevisionHandlers<TRequest, TResponse>.Restore).WithName($"Restore{name}Revision")
            .WithSummary($"Make a revision's state the new version of {one}")
            .WithDescription("If-Match names the current version. The state is validated like any write: a slug since taken is 409 slug_taken, a link to something since deleted is 422 naming the field.")
            .WithWriteFilters().WithWriteProblems();
        group.MapPost("/restore", RevisionHandlers<TRequest, TResponse>.Undelete).WithName($"Undelete{name}")
            .WithSummary($"Bring back {one} that was deleted")
            .WithDescription("Same id, its last state, the next version; within Revisions:DeletedRetentionDays of the delete (default 30), after that 404. 409 while it exists.")
            .WithWriteFilters().WithWriteProblems();
    }
}
