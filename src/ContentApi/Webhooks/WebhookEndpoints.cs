using System.Globalization;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Webhooks;

public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Writes run again when PostgreSQL breaks them off in a deadlock (a delete's cascade against the dispatcher's
        // claim); reads pass straight through.
        var group = app.MapGroup("/webhooks").WithTags("Webhooks").WithResourceConventions().RequireAuthorization(Policies.Admin);
        group.AddEndpointFilter<ConflictRetryFilter>();
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("List webhook subscriptions")
            .WithDescription("Admins only, oldest first. Secrets are never shown again.").WithValidation<WebhookListQuery>();
        group.MapPost("/", Create).WithName("CreateWebhook").WithSummary("Subscribe a URL to events")
            .WithDescription("Admins only. The response carries the signing secret once (Standard Webhooks, whsec_...). Targets must be https and not loopback, link-local or private addresses. Each delivery POSTs { type, timestamp, id, version, data }: data is the resource as an anonymous reader's GET returns it (no includes), null for deletes and for what readers cannot see (drafts, scheduled articles until their time, quotes no published article uses).")
            .WithValidation<WebhookRequest>().WithWriteProblems();
        group.MapGet("/{id:guid}", Get).WithName("GetWebhook").WithSummary("Get a webhook subscription");
        group.MapPatch("/{id:guid}", Patch).WithName("PatchWebhook").WithSummary("Change a webhook subscription with a JSON Merge Patch")
            .WithDescription("active: true turns a subscription disabled by 410 Gone back on.")
            .Accepts<WebhookRequest>(MergePatch.MediaType).WithWriteProblems();
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook subscription and its deliveries");
        group.MapPost("/{id:guid}/secret", Rotate).WithName("RotateWebhookSecret").WithSummary("Rotate the signing secret")
            .WithDescription("The new secret is shown once; the old one keeps signing (a second signature) for 24 hours.");
        group.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries").WithSummary("List a subscription's deliveries")
            .WithDescription("Newest first: status, attempts, the last status code, latency and error, the next try.")
            .WithValidation<WebhookListQuery>();
        group.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/retry", Retry).WithName("RetryWebhookDelivery")
            .WithSummary("Send a delivery again").WithDescription("Pending again at once with a fresh count of tries; the webhook-id stays the same.");
        group.MapPost("/{id:guid}/ping", Ping).WithName("PingWebhook").WithSummary("Send a test event")
            .WithDescription("Writes a ping delivery; watch it in the deliveries list.");
        return group;
    }

    public static async Task<Results<Ok<WebhookListResponse>, ProblemHttpResult>> List(
        [AsParameters] WebhookListQuery query, WebhookRepository webhooks, CursorCodec cursors, CancellationToken ct)
    {
        if (!cursors.TryRead(query.Cursor, "webhooks", CursorKey.None, out var after))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var (items, more) = await webhooks.ListAsync(after?.I, query.Limit ?? Limits.DefaultPageSize, ct);
        return TypedResults.Ok(new WebhookListResponse
        {
            Items = items.Select(w => w.ToResponse()).ToList(),
            NextCursor = more ? cursors.Encode(new Keyset("webhooks", null, items[^1].Id)) : null,
        });
    }

    public static async Task<Results<Created<WebhookWithSecretResponse>, ProblemHttpResult>> Create(
        WebhookRequest request, WebhookRepository webhooks, WebhookSecrets secrets, TargetGuard guard, CancellationToken ct)
    {
        if (await guard.RefusalAsync(request.Url, ct) is { } refusal)
            return Problems.Validation("url", refusal, 422);
        var secret = WebhookSecrets.New();
        var created = (await webhooks.CreateAsync(request, secrets.Protect(secret), ct)).ToResponse();
        return TypedResults.Created($"/v1/webhooks/{created.Id}", new WebhookWithSecretResponse { Webhook = created, Secret = secret });
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Get(Guid id, WebhookRepository webhooks, CancellationToken ct) =>
        await webhooks.GetAsync(id, ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("webhook", id.ToString());

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Patch(
        Guid id, MergePatch patch, WebhookRepository webhooks, IValidator<WebhookRequest> validator, TargetGuard guard, CancellationToken ct)
    {
        if (await webhooks.GetAsync(id, ct) is not { } current)
            return Problems.NotFound("webhook", id.ToString());
        var asRequest = new WebhookRequest { Url = current.Url, Events = current.Events, Description = current.Description, Active = current.Active };
        var (request, problem) = await patch.ApplyAsync(asRequest, validator, ct);
        if (problem is not null) return problem;
        if (await guard.RefusalAsync(request!.Url, ct) is { } refusal)
            return Problems.Validation("url", refusal, 422);
        return await webhooks.UpdateAsync(id, request, ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("webhook", id.ToString());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, WebhookRepository webhooks, CancellationToken ct) =>
        await webhooks.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("webhook", id.ToString());

    public static async Task<Results<Ok<WebhookWithSecretResponse>, ProblemHttpResult>> Rotate(
        Guid id, WebhookRepository webhooks, WebhookSecrets secrets, CancellationToken ct)
    {
        var secret = WebhookSecrets.New();
        return await webhooks.RotateAsync(id, secrets.Protect(secret), ct) is { } row
            ? TypedResults.Ok(new WebhookWithSecretResponse { Webhook = row.ToResponse(), Secret = secret })
            : Problems.NotFound("webhook", id.ToString());
    }

    public static async Task<Results<Ok<DeliveryListResponse>, ProblemHttpResult>> Deliveries(
        Guid id, [AsParameters] WebhookListQuery query, WebhookRepository webhooks, CursorCodec cursors, CancellationToken ct)
    {
        var list = $"deliveries:{id}";
        if (!cursors.TryRead(query.Cursor, list, CursorKey.Text, out var after) || (after?.K is { } k && !long.TryParse(k, CultureInfo.InvariantCulture, out _)))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        if (await webhooks.GetAsync(id, ct) is null)
            return Problems.NotFound("webhook", id.ToString());
        var before = after?.K is { } key ? long.Parse(key, CultureInfo.InvariantCulture) : long.MaxValue;
        var (items, more) = await webhooks.DeliveriesAsync(id, before, query.Limit ?? Limits.DefaultPageSize, ct);
        return TypedResults.Ok(new DeliveryListResponse
        {
            Items = items.Select(d => d.ToResponse()).ToList(),
            NextCursor = more ? cursors.Encode(new Keyset(list, items[^1].Seq.ToString(CultureInfo.InvariantCulture), id)) : null,
        });
    }

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Retry(
        Guid id, Guid deliveryId, WebhookRepository webhooks, CancellationToken ct) =>
        await webhooks.RetryAsync(id, deliveryId, ct) is { } row
            ? TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", row.ToResponse())
            : Problems.NotFound("delivery", deliveryId.ToString());

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Ping(Guid id, WebhookRepository webhooks, CancellationToken ct) =>
        await webhooks.PingAsync(id, ct) is { } row
            ? TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", row.ToResponse())
            : Problems.NotFound("webhook", id.ToString());
}
