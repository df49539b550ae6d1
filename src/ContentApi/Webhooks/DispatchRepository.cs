using Dapper;
using Npgsql;

namespace ContentApi.Webhooks;

/// <summary>A claimed delivery with what sending it needs.</summary>
public sealed record ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string? PreviousSecret { get; init; }
    public DateTime? PreviousSecretUntil { get; init; }
}

/// <summary>The dispatcher's SQL: claim due deliveries (skip what another node holds), record outcomes, release schedules.</summary>
public sealed class DispatchRepository(NpgsqlDataSource dataSource)
{
    // The head of each resource's queue only: a later event for a resource waits while an earlier one is pending
    // (retrying or held by another node). Rows stay locked while they are sent, so no two nodes send one at once.
    private const string ClaimSql = """
        select d.id, d.subscription_id, d.payload, d.attempts, s.url, s.secret, s.previous_secret, s.previous_secret_until
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
        where d.status = 'pending' and d.next_attempt_at <= now() and s.active
          and not exists (select 1 from webhook_deliveries p
                          where p.subscription_id = d.subscription_id and p.entity_id = d.entity_id
                            and p.status = 'pending' and p.seq < d.seq)
        order by d.next_attempt_at, d.seq
        limit @Take
        for update of d skip locked
        """;

    private const string DeliveredSql = """
        update webhook_deliveries set status = 'delivered', attempts = attempts + 1, delivered_at = now(),
               last_status = @Status, last_latency_ms = @LatencyMs, last_error = null, last_response = @Response
        where id = @Id
        """;

    private const string FailedSql = """
        update webhook_deliveries set attempts = attempts + 1,
               status = case when @Dead then 'dead' else 'pending' end,
               next_attempt_at = now() + make_interval(secs => @DelaySeconds),
               last_status = @Status, last_latency_ms = @LatencyMs, last_error = @Error, last_response = @Response
        where id = @Id
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

    public static Task DeliveredAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, int status, int latencyMs, string? response) =>
        conn.ExecuteAsync(new CommandDefinition(DeliveredSql, new { Id = id, Status = status, LatencyMs = latencyMs, Response = response }, tx));

    public static Task FailedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, bool dead, double delaySeconds, int? status,
        int latencyMs, string error, string? response) =>
        conn.ExecuteAsync(new CommandDefinition(FailedSql, new
        {
            Id = id, Dead = dead, DelaySeconds = delaySeconds, Status = status, LatencyMs = latencyMs, Error = error, Response = response,
        }, tx));

    public static Task DisableAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid subscription, string reason) =>
        conn.ExecuteAsync(new CommandDefinition(DisableSql, new { Id = subscription, Reason = reason }, tx));

    public async Task<int> ReleaseScheduledAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(ReleaseSql, cancellationToken: ct));
    }
}
