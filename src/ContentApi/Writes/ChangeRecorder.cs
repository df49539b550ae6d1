using System.Collections.Concurrent;
using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// Writes a change's revision and its webhook events (the outbox) inside the transaction of the change itself, so
/// none of them can commit without the others. The state is the resource as an editor's GET returns it; the event's
/// data is the resource as a reader's GET returns it, which each resource states as a SQL expression (its reader view).
/// </summary>
public static class ChangeRecorder
{
    // The revisions, and in the same statement the outbox: one webhook delivery per event and matching active
    // subscription. A publish whose time is still ahead is announced later, when it comes (webhook_schedule).
    // {0} is the resource's reader view over e.state and e.id, evaluated here so that visibility is that of this
    // transaction, and only for events some subscription wants.
    private const string Insert = """
        with r as (
          insert into revisions (entity, id, version, op, state, changed_by_id, changed_by_name)
          select @Entity, x.id, x.version, @Op, x.state::jsonb, @KeyId, @Name
          from unnest(@Ids, @Versions, @States) as x(id, version, state)
          returning entity, id, version, op, state, changed_at),
        later as (
          insert into webhook_schedule as w (entity, id, version, due_at)
          select r.entity, r.id, r.version, (r.state->>'publishedAt')::timestamptz from r
          where r.op = 'publish' and (r.state->>'publishedAt')::timestamptz > now()
          on conflict (entity, id) do update set version = excluded.version, due_at = excluded.due_at),
        e as (
          select r.*, case r.op
                   when 'create' then r.entity || '.created' when 'undelete' then r.entity || '.created'
                   when 'delete' then r.entity || '.deleted'
                   when 'publish' then case when (r.state->>'publishedAt')::timestamptz > now() then null else r.entity || '.published' end
                   when 'unpublish' then r.entity || '.unpublished'
                   else r.entity || '.updated' end as event
          from r)
        insert into webhook_deliveries (id, subscription_id, event, entity, entity_id, version, payload)
        select gen_random_uuid(), s.id, e.event, e.entity, e.id, e.version,
               jsonb_build_object('type', e.event, 'timestamp', e.changed_at, 'id', e.id, 'version', e.version,
                                  'data', case when e.op = 'delete' then null else ({0}) end)::text
        from e join webhook_subscriptions s on s.active and s.events && array[e.event, '*']
        where e.event is not null
        """;

    /// <summary>
    /// A reader view for resources every reader sees whole: the event's data is the recorded state itself. A resource
    /// that hides items or fields from readers passes its own expression over e.state (jsonb) and e.id (uuid), null
    /// where a reader would get a 404, so no webhook carries what readers may not see.
    /// </summary>
    public const string SameForReaders = "e.state";

    private static readonly ConcurrentDictionary<string, string> statements = new(StringComparer.Ordinal);

    /// <summary>
    /// One revision: <paramref name="version"/> is the version the change produced (for a delete, the last one plus one).
    /// The first one recorded under an Idempotency-Key (see <see cref="IdempotentAnswer"/>) stores its state as the
    /// create's answer in the same statement batch.
    /// </summary>
    public static Task RecordAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, string entity, string readerView, Guid id, int version,
        string op, T state, Actor actor, CancellationToken ct)
    {
        var serialized = Serialize(state);
        var answer = IdempotentAnswer.Current is { State: null } a ? a : null;
        answer?.Claim(state!);
        return RecordCoreAsync(conn, tx, entity, readerView, [(id, version, serialized)], op, actor,
            answer is null ? null : (IdempotencyRepository.Statements.Complete, new { answer.Principal, answer.Key, Status = StatusCodes.Status201Created, Location = answer.Location(id), Body = serialized }),
            ct);
    }

    /// <summary>Revisions of several items of one type in one statement (items whose links a change touched).</summary>
    public static Task RecordManyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string entity, string readerView,
        IReadOnlyCollection<(Guid Id, int Version, string State)> items, string op, Actor actor, CancellationToken ct) =>
        RecordCoreAsync(conn, tx, entity, readerView, items, op, actor, null, ct);

    private static async Task RecordCoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string entity, string readerView,
        IReadOnlyCollection<(Guid Id, int Version, string State)> items, string op, Actor actor, (string Sql, object Args)? answer, CancellationToken ct)
    {
        if (items.Count == 0) return;
        // The request's NOTIFY rides in the first recorded statement of its transaction, delivered when it commits.
        var notice = CommitNotice.Current is { Sent: false } n ? n : null;
        var sql = GenericPlan + Statement(readerView);
        var args = new List<object>
        {
            new
            {
                Entity = entity,
                Op = op,
                actor.KeyId,
                actor.Name,
                Ids = items.Select(i => i.Id).ToArray(),
                Versions = items.Select(i => i.Version).ToArray(),
                States = items.Select(i => i.State).ToArray(),
            },
        };
        if (notice is not null)
        {
            sql += NotifyStatement;
            args.Add(new { NoticeChannel = notice.Channel, NoticePayload = notice.Payload });
        }
        if (answer is { } stored)
        {
            sql += ";\n" + stored.Sql;
            args.Add(stored.Args);
        }
        sql += UsualPlans;
        // Prepared: its texts are the same for every write of a resource type, the states are JSON the app serialized,
        // and the rest are names, ids and a key without control characters (IdempotencyFilter).
        await using var cmd = await PreparedCommand.CreateAsync(conn, tx, sql, ct, [.. args]);
        await cmd.ExecuteNonQueryAsync(ct);
        if (notice is not null) notice.Sent = true;
    }

    /// <summary>
    /// Around the batch (the benchmark's ceilings send it too): left to choose, PostgreSQL planned the revision statement
    /// anew on every write (its generic plan is estimated dearer), which cost more than running it. The setting ends with
    /// the batch, so the rest of the transaction plans as usual.
    /// </summary>
    public const string GenericPlan = "set local plan_cache_mode = force_generic_plan;\n";

    /// <inheritdoc cref="GenericPlan"/>
    public const string UsualPlans = ";\nset local plan_cache_mode = default";

    /// <summary>What <see cref="CommitNotice"/> adds to the statement (the benchmark's ceilings run it).</summary>
    public const string NotifyStatement = ";\nselect pg_notify(@NoticeChannel, @NoticePayload)";

    /// <summary>The statement that records revisions and their outbox rows for a resource with this reader view (the benchmark's ceilings run it).</summary>
    public static string Statement(string readerView) =>
        statements.GetOrAdd(readerView, view => string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, view));

    public static string Serialize<T>(T state) => System.Text.Json.JsonSerializer.Serialize(state, ContentJson.Writing);
}
