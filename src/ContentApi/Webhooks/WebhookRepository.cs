using Dapper;
using Npgsql;

namespace ContentApi.Webhooks;

/// <summary>Subscriptions and their deliveries; the deliveries themselves are written by Writes.ChangeRecorder.</summary>
public sealed class WebhookRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "w.id, w.url, w.events, w.description, w.active, w.disabled_reason, w.version, w.created_at, w.updated_at";

    private const string InsertSql = $"""
        insert into webhook_subscriptions as w (id, url, events, description, active, secret)
        values (@Id, @Url, @Events, @Description, @Active, @Secret)
        returning {Columns}
        """;

    private const string ListSql = $"select {Columns} from webhook_subscriptions w where w.id > @After order by w.id limit @Take";

    private const string ByIdSql = $"select {Columns} from webhook_subscriptions w where w.id = @Id";

    // Turning a subscription back on forgets why it was turned off.
    private const string UpdateSql = $"""
        update webhook_subscriptions as w set url = @Url, events = @Events, description = @Description, active = @Active,
               disabled_reason = case when @Active then null else w.disabled_reason end, version = w.version + 1, updated_at = now()
        where w.id = @Id
        returning {Columns}
        """;

    private const string DeleteSql = "delete from webhook_subscriptions where id = @Id";

    private const string RotateSql = $"""
        update webhook_subscriptions as w set previous_secret = w.secret, previous_secret_until = now() + interval '24 hours',
               secret = @Secret, version = w.version + 1, updated_at = now()
        where w.id = @Id
        returning {Columns}
        """;

    private const string DeliveryColumns =
        "d.id, d.seq, d.event, d.entity_id, d.status, d.attempts, d.last_status, d.last_latency_ms, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at";

    private const string DeliveriesSql = $"""
        select {DeliveryColumns} from webhook_deliveries d
        where d.subscription_id = @Id and d.seq < @Before order by d.seq desc limit @Take
        """;

    private const string RetrySql = $"""
        update webhook_deliveries d set status = 'pending', attempts = 0, next_attempt_at = now()
        where d.subscription_id = @Subscription and d.id = @Id
        returning {DeliveryColumns}
        """;

    private const string PingSql = $"""
        insert into webhook_deliveries as d (id, subscription_id, event, payload)
        select @Id, w.id, 'ping', jsonb_build_object('type', 'ping', 'timestamp', now(), 'data', jsonb_build_object('webhookId', w.id))::text
        from webhook_subscriptions w where w.id = @Subscription
        returning {DeliveryColumns}
        """;

    public async Task<WebhookRow> CreateAsync(WebhookRequest r, string protectedSecret, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<WebhookRow>(new CommandDefinition(InsertSql, new
        {
            Id = Guid.CreateVersion7(), r.Url, Events = r.Events.Distinct().ToArray(), r.Description, r.Active, Secret = protectedSecret,
        }, cancellationToken: ct));
    }

    public async Task<(List<WebhookRow> Items, bool More)> ListAsync(Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<WebhookRow>(new CommandDefinition(ListSql, new { After = after ?? Guid.Empty, Take = limit + 1 }, cancellationToken: ct))).ToList();
        return (rows.Take(limit).ToList(), rows.Count > limit);
    }

    public async Task<WebhookRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(ByIdSql, new { Id = id }, cancellationToken: ct));
    }

    public async Task<WebhookRow?> UpdateAsync(Guid id, WebhookRequest r, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(UpdateSql, new
        {
            Id = id, r.Url, Events = r.Events.Distinct().ToArray(), r.Description, r.Active,
        }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(DeleteSql, new { Id = id }, cancellationToken: ct)) > 0;
    }

    public async Task<WebhookRow?> RotateAsync(Guid id, string protectedSecret, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(RotateSql, new { Id = id, Secret = protectedSecret }, cancellationToken: ct));
    }

    public async Task<(List<DeliveryRow> Items, bool More)> DeliveriesAsync(Guid id, long before, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<DeliveryRow>(new CommandDefinition(DeliveriesSql, new { Id = id, Before = before, Take = limit + 1 }, cancellationToken: ct))).ToList();
        return (rows.Take(limit).ToList(), rows.Count > limit);
    }

    public async Task<DeliveryRow?> RetryAsync(Guid subscription, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(RetrySql, new { Subscription = subscription, Id = id }, cancellationToken: ct));
    }

    public async Task<DeliveryRow?> PingAsync(Guid subscription, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(PingSql, new { Subscription = subscription, Id = Guid.CreateVersion7() }, cancellationToken: ct));
    }
}
