using System.Security.Claims;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Sync;

public static class SyncEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapSync(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sync").WithTags("Sync").WithResourceConventions();
        group.MapGet("/", Read).WithName("GetSyncFeed").WithSummary("Changes since a token, for offline clients")
            .WithDescription("Every change to articles, quotes, people and sources since the token, in commit order, each entity at most once per page. " +
                             "Deletions and content that stopped being visible to you (unpublished, archived) come as op=delete. " +
                             "Without since= it starts from the beginning. Keep asking with nextToken while hasMore is true.")
            .WithValidation<SyncQuery>().RequireAuthorization(Policies.Read);
        return group;
    }

    public static async Task<Results<Ok<SyncPage>, ProblemHttpResult>> Read(
        [AsParameters] SyncQuery query, SyncRepository sync, CursorCodec tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        SyncPosition? since = null;
        if (query.Since is not null && !tokens.TryDecode(query.Since, out since, p => p.IsWellFormed(DateTime.UtcNow)))
            return Problems.Validation("since", "The sync token is invalid or was altered; start again without since.");
        var (items, next, more) = await sync.ReadAsync(since, query.Limit ?? DefaultLimit, user.Audience(), ct);
        Observability.ContentApiMetrics.SyncPages.Add(1, new KeyValuePair<string, object?>("has_more", more));
        return TypedResults.Ok(new SyncPage { Items = items, NextToken = tokens.Encode(next), HasMore = more });
    }
}
