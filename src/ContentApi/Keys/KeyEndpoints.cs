using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Keys;

public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/keys").WithTags("Keys").WithResourceConventions().RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListKeys").WithSummary("List API keys")
            .WithDescription("Admins only, newest first. The secrets are never shown again; prefix tells keys apart.")
            .WithValidation<ListKeysQuery>();
        group.MapPost("/", Create).WithName("CreateKey").WithSummary("Create an API key")
            .WithDescription("Admins only. The response carries the key once; store it, it cannot be shown again.")
            .WithValidation<KeyRequest>().WithWriteProblems();
        group.MapDelete("/{id:guid}", Revoke).WithName("RevokeKey").WithSummary("Revoke an API key")
            .WithDescription("Admins only. The key stops working at once on this node, within a minute everywhere.");
        return group;
    }

    public static async Task<Results<Ok<KeyListResponse>, ProblemHttpResult>> List(
        [AsParameters] ListKeysQuery query, KeyRepository keys, CursorCodec cursors, CancellationToken ct)
    {
        if (!cursors.TryRead(query.Cursor, "keys", CursorKey.None, out var after))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var (items, more) = await keys.ListAsync(after?.I, query.Limit ?? Limits.DefaultPageSize, ct);
        return TypedResults.Ok(new KeyListResponse
        {
            Items = items,
            NextCursor = more ? cursors.Encode(new Keyset("keys", null, items[^1].Id)) : null,
        });
    }

    public static async Task<Created<CreatedKeyResponse>> Create(KeyRequest request, KeyRepository keys, CancellationToken ct)
    {
        var created = await keys.CreateAsync(request, ct);
        return TypedResults.Created($"/v1/keys/{created.Id}", created);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, KeyRepository keys, ApiKeyCache cache, CancellationToken ct)
    {
        var hash = await keys.RevokeAsync(id, ct);
        if (hash is null)
            return Problems.NotFound("live key", id.ToString());
        cache.Forget(hash);
        return TypedResults.NoContent();
    }
}
