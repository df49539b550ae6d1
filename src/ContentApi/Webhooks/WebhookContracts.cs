using ContentApi.Infrastructure;

namespace ContentApi.Webhooks;

/// <summary>What happened to a delivery so far.</summary>
public enum DeliveryStatus { Pending, Delivered, Dead }

/// <summary>A webhook subscription as written.</summary>
public sealed record WebhookRequest
{
    /// <summary>Where events are POSTed: https, and not a loopback, link-local or private address.</summary>
    /// <example>https://hooks.example.com/contentapi</example>
    public required string Url { get; init; }

    /// <summary>Events to send: article.published, article.unpublished, {article|quote|person|source}.{created|updated|deleted}, or * for all.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>What the subscription is for, for people reading the list.</summary>
    /// <example>Rebuild the front page</example>
    public string? Description { get; init; }

    /// <summary>Inactive subscriptions get nothing; a 410 Gone answer makes a subscription inactive.</summary>
    public bool Active { get; init; } = true;
}

/// <summary>A webhook subscription: never its secret.</summary>
public sealed record WebhookResponse : IVersioned
{
    /// <summary>The subscription's id.</summary>
    public required Guid Id { get; init; }
    /// <summary>Where events are POSTed.</summary>
    public required string Url { get; init; }
    /// <summary>Events sent.</summary>
    public required IReadOnlyList<string> Events { get; init; }
    /// <summary>What the subscription is for.</summary>
    public required string? Description { get; init; }
    /// <summary>Whether events are sent.</summary>
    public required bool Active { get; init; }
    /// <summary>Why the API stopped sending (e.g. the receiver answered 410 Gone), if it did.</summary>
    public required string? DisabledReason { get; init; }
    /// <summary>Grows by one on every change.</summary>
    public required int Version { get; init; }
    /// <summary>When the subscription was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When the subscription last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }
}

/// <summary>A subscription with its new signing secret: shown this once.</summary>
public sealed record WebhookWithSecretResponse
{
    /// <summary>The subscription.</summary>
    public required WebhookResponse Webhook { get; init; }
    /// <summary>The Standard Webhooks signing secret (whsec_ + base64). After a rotation the old one also signs for 24 hours.</summary>
    /// <example>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</example>
    public required string Secret { get; init; }
}

/// <summary>A page of subscriptions.</summary>
public sealed record WebhookListResponse : IPage
{
    DateTime? IPage.LastModified => Items.Count == 0 ? null : Items.Max(w => w.UpdatedAt);
    /// <summary>The subscriptions on this page, oldest first.</summary>
    public required IReadOnlyList<WebhookResponse> Items { get; init; }
    /// <summary>Pass as cursor= for the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}

/// <summary>One event for one subscription and its attempts.</summary>
public sealed record DeliveryResponse
{
    /// <summary>The delivery's id, sent as webhook-id (the same on every retry).</summary>
    public required Guid Id { get; init; }
    /// <summary>The event, e.g. article.published, or ping.</summary>
    public required string Event { get; init; }
    /// <summary>The resource the event is about, if any.</summary>
    public required Guid? ResourceId { get; init; }
    /// <summary>pending (waiting or retrying), delivered, or dead (gave up after the last try).</summary>
    public required DeliveryStatus Status { get; init; }
    /// <summary>Tries so far.</summary>
    public required int Attempts { get; init; }
    /// <summary>The HTTP status of the last try, if it got one.</summary>
    public required int? LastStatusCode { get; init; }
    /// <summary>How long the last try took, in milliseconds.</summary>
    public required int? LastLatencyMs { get; init; }
    /// <summary>What went wrong on the last try (timeout, refused, status), if anything.</summary>
    public required string? LastError { get; init; }
    /// <summary>When the next try is due (pending only).</summary>
    public required DateTime? NextAttemptAt { get; init; }
    /// <summary>When the event was written (UTC).</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>When a receiver accepted it (UTC).</summary>
    public required DateTime? DeliveredAt { get; init; }
}

/// <summary>A page of deliveries, newest first.</summary>
public sealed record DeliveryListResponse : IPage
{
    DateTime? IPage.LastModified => Items.Count == 0 ? null : Items.Max(d => d.DeliveredAt ?? d.CreatedAt);
    /// <summary>The deliveries on this page.</summary>
    public required IReadOnlyList<DeliveryResponse> Items { get; init; }
    /// <summary>Pass as cursor= for the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}

/// <summary>Paging of a list.</summary>
public sealed record WebhookListQuery
{
    /// <summary>Page size, 1 to 100 (default 20).</summary>
    [System.ComponentModel.DefaultValue(Infrastructure.Limits.DefaultPageSize)]
    public int? Limit { get; init; }
    /// <summary>The nextCursor of the previous page.</summary>
    public string? Cursor { get; init; }
}

/// <summary>Row shape of webhook_subscriptions.</summary>
public sealed record WebhookRow
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string[] Events { get; init; } = [];
    public string? Description { get; init; }
    public bool Active { get; init; }
    public string? DisabledReason { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public WebhookResponse ToResponse() => new()
    {
        Id = Id, Url = Url, Events = Events, Description = Description, Active = Active, DisabledReason = DisabledReason,
        Version = Version, CreatedAt = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), UpdatedAt = DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc),
    };
}

/// <summary>Row shape of webhook_deliveries as listed.</summary>
public sealed record DeliveryRow
{
    public Guid Id { get; init; }
    public long Seq { get; init; }
    public string Event { get; init; } = "";
    public Guid? EntityId { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int? LastStatus { get; init; }
    public int? LastLatencyMs { get; init; }
    public string? LastError { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeliveredAt { get; init; }

    public DeliveryResponse ToResponse() => new()
    {
        Id = Id, Event = Event, ResourceId = EntityId, Status = Wire<DeliveryStatus>.Parse(Status), Attempts = Attempts,
        LastStatusCode = LastStatus, LastLatencyMs = LastLatencyMs, LastError = LastError,
        NextAttemptAt = Status == "pending" ? DateTime.SpecifyKind(NextAttemptAt, DateTimeKind.Utc) : null,
        CreatedAt = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        DeliveredAt = DeliveredAt is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null,
    };
}
