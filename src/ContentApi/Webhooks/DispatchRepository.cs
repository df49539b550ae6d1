using Dapper;
using Npgsql;

namespace ContentApi.Webhooks;

/// <summary>A claimed delivery with what sending it needs.</summary>
public sealed record ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public DateTime CreatedAt { get; init; }
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string? PreviousSecret { get; init; }
    public DateTime? PreviousSecretUntil { get; init; }
}

/// <summary>What one try of a delivery came to: status is delivered, pending (tried again after DelaySeconds) or dead.</summary>
public sealed record DeliveryOutcome(Guid Id, string Status, double DelaySeconds, int? Code, int LatencyMs, string? Error, string? Response);

/// <summary>The dispatcher's SQL: claim due deliveries (skip what another node holds), record outcomes, release schedules.</summary>
public sealed class DispatchRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The database whose outbox this is (the outbox-lag metric's db tag).</summary>
    public string Database { get; } = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "";

    // The head of each resource's queue only: a later event for a resource waits while an earlier one is pending
    // (retrying or held by another node). Rows stay locked while they are sent, so no two nodes send one at once.
    private const string ClaimSql = """
        select d.id, d.subscription_id, d.created_at, d.payload, d.attempts, s.url, s.secret, s.previous_secret, s.previous_secret_until
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
        where d.status = 'pending' and d.next_attempt_at <= now() and s.active
          and not exists (select 1 from webhook_deliveries p
                          where p.subscription_id = d.subscription_id and p.entity_id = d.entity_id
                            and p.status = 'pending' and p.seq < d.seq)
        order by d.next_attempt_at, d.seq
        limit @Take
        for update of d skip locked
        """;

    // Every outcome of a round in one statement: a delivered row keeps its next_attempt_at, a failed one is due again
    // after its backoff (a dead one at once, which nothing claims).
    private const string RecordSql = """
        update webhook_deliveries d set attempts = d.attempts + 1, status = o.status,
               delivered_at = case when o.status = 'delivered' then now() else d.delivered_at end,
               next_attempt_at = case when o.status = 'delivered' then d.next_attempt_at else now() + make_interval(secs => o.delay) end,
               last_status = o.code, last_latency_ms = o.latency, last_error = o.error, last_response = o.response
        from unnest(@Ids, @Statuses, @Delays, @Codes, @Latencies, @Errors, @Responses)
             as o(id, status, delay, code, latency, error, response)
        where d.id = o.id
        """;

    // What waits longest among due deliveries of active subscriptions, sendable or held behind an earlier event.
    private const string OutboxLagSql = """
        select coalesce(extract(epoch from now() - min(d.next_attempt_at)), 0)::float8
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id and s.active
        where d.status = 'pending' and d.next_attempt_at <= now()
        """;

    // In batches off the webhook_deliveries_done index: short statements that never hold many rows locked.
    private const string PurgeSql = """
        delete from webhook_deliveries where ctid = any(array(
          select ctid from webhook_deliveries
          where status <> 'pending' and created_at < now() - make_interval(days => @Days)
          order by created_at limit @Batch))
        """;

    private const string DisableSql = """
        update webhook_subscriptions set active = false, disabled_reason = @Reason, version = version + 1, updated_at = now()
        where id = @Id
        """;

    // A publish whose time was ahead is announced now, if the item is still published for that time (and not
    // deleted); the schedule row is deleted in the same transaction, so exactly one node announces it. Its data is
    // the latest state, which readers now see whole: published, and its time has come.
    private const string ReleaseSql = """
        with due as (
          delete from webhook_schedule w
          where (w.entity, w.id) in (select entity, id from webhook_schedule where due_at <= now() order by due_at limit 100 for update skip locked)
          returning w.entity, w.id, w.due_at),
        live as (
          select due.entity, due.id, r.version, r.state from due
          cross join lateral (select x.version, x.op, x.state from revisions x where x.entity = due.entity and x.id = due.id
                              order by x.version desc limit 1) r
          where r.op <> 'delete' and r.state->>'status' = 'published' and (r.state->>'publishedAt')::timestamptz = due.due_at)
        insert into webhook_deliveries (id, subscription_id, event, entity, entity_id, version, payload)
        select gen_random_uuid(), s.id, live.entity || '.published', live.entity, live.id, live.version,
               jsonb_build_object('type', live.entity || '.published', 'timestamp', now(), 'id', live.id, 'version', live.version,
                                  'data', live.state)::text
        from live join webhook_subscriptions s on s.active and s.events && array[live.entity || '.published', '*']
        """;

    public async Task<(NpgsqlConnection Conn, NpgsqlTransaction Tx, List<ClaimedDelivery> Claimed)> ClaimAsync(int take, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var tx = await conn.BeginTransactionAsync(ct);
            var claimed = (await conn.QueryAsync<ClaimedDelivery>(new CommandDefinition(ClaimSql, new { Take = take }, tx, cancellationToken: ct))).ToList();
            return (conn, tx, claimed);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public static Task RecordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<DeliveryOutcome> outcomes) =>
        conn.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            Ids = outcomes.Select(o => o.Id).ToArray(),
            Statuses = outcomes.Select(o => o.Status).ToArray(),
            Delays = outcomes.Select(o => o.DelaySeconds).ToArray(),
            Codes = outcomes.Select(o => o.Code).ToArray(),
            Latencies = outcomes.Select(o => o.LatencyMs).ToArray(),
            Errors = outcomes.Select(o => o.Error).ToArray(),
            Responses = outcomes.Select(o => o.Response).ToArray(),
        }, tx));

    public static Task DisableAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid subscription, string reason) =>
        conn.ExecuteAsync(new CommandDefinition(DisableSql, new { Id = subscription, Reason = reason }, tx));

    public async Task<double> OutboxLagAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<double>(new CommandDefinition(OutboxLagSql, cancellationToken: ct));
    }

    /// <summary>Deletes delivered and dead deliveries older than <paramref name="days"/>, batch by batch; the rows deleted.</summary>
    public async Task<long> PurgeAsync(int days, int batch, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        long total = 0;
        int n;
        do
        {
            n = await conn.ExecuteAsync(new CommandDefinition(PurgeSql, new { Days = days, Batch = batch }, cancellationToken: ct));
            total += n;
        } while (n == batch);
        return total;
    }

    public async Task<int> ReleaseScheduledAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(ReleaseSql, cancellationToken: ct));
    }
}
