using ContentApi.Infrastructure;
using ContentApi.Quotes;
using ContentApi.Writes;
using Dapper;
using Npgsql;

namespace ContentApi.Sources;

public sealed class SourceRepository(NpgsqlDataSource dataSource, ReadDataSource? readSource = null)
{
    private readonly ReadDataSource reads = readSource ?? new(dataSource);
    private const string Columns = "s.id, s.slug, s.name, s.kind, s.url, s.country, s.version, s.created_at, s.updated_at";

    /// <summary>The sources whose ids <paramref name="idsSql"/> selects, for another resource's include.</summary>
    public static string EmbedSql(string idsSql) => $"select {Columns} from sources s where s.id in ({idsSql})";

    private const string ById = $"select {Columns} from sources s where s.id = @Id";
    private const string BySlug = $"select {Columns} from sources s where s.slug = @Slug";

    private const string Insert = $"""
        insert into sources as s (id, slug, name, kind, url, country, version)
        values (@Id, @Slug, @Name, @Kind, @Url, @Country, @Version)
        returning {Columns}
        """;

    private const string Update = $"""
        update sources as s set slug = @Slug, name = @Name, kind = @Kind, url = @Url, country = @Country,
               version = s.version + 1, updated_at = now()
        where s.id = @Id and s.version = @Expected
        returning {Columns}
        """;

    private const string VersionOf = "select version from sources where id = @Id";

    private const string Usages = """
        (select 'quote' as type, q.id from quotes q where q.source_id = @Id limit 20)
        union all
        (select 'article', x.article_id from article_sources x where x.source_id = @Id limit 20)
        """;

    private const string Delete = "delete from sources where id = @Id and version = @Expected";

    public async Task<SourceResponse?> GetAsync(IdOrSlug key, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var target = key.Id is null ? BySlug : ById;
        return (await ReadAsync(target, new { key.Id, key.Slug }, audience, include, ct)).SingleOrDefault();
    }

    public async Task<(IReadOnlyList<SourceResponse> Items, bool More)> ListAsync(
        string? q, SourceKind? kind, Keyset? after, int limit, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var where = new List<string>();
        if (q is not null) where.Add("(s.name % @Q or s.name ilike '%' || @Q || '%')");
        if (kind is not null) where.Add("s.kind = @Kind");
        if (after is not null) where.Add("(s.name, s.id) > (@AfterName, @AfterId)");
        var page = $"select {Columns} from sources s {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")} order by s.name, s.id limit @Take";
        var args = new { Q = q, Kind = kind is null ? null : Wire<SourceKind>.Name(kind.Value), AfterName = after?.K, AfterId = after?.I, Take = limit + 1 };

        var items = await ReadAsync(page, args, audience, include, ct);
        var more = items.Count > limit;
        return (more ? items[..limit] : items, more);
    }

    public static Keyset KeysetOf(SourceResponse s) => new("sources", s.Name, s.Id);

    /// <summary>The type name revisions and the sync feed know it by.</summary>
    public const string Entity = "source";

    public Task<SourceResponse> CreateAsync(SourceRequest r, Actor actor, CancellationToken ct) => InsertAsync(Guid.CreateVersion7(), 1, r, actor, ct);

    /// <summary>Inserts with a given id and version: a create, or an undelete continuing the item's history.</summary>
    public async Task<SourceResponse> InsertAsync(Guid id, int version, SourceRequest r, Actor actor, CancellationToken ct) =>
        (await RecordedWrite.RunAsync<SourceRow, SourceResponse>(dataSource, Insert, Args(id, r, 0, version), x => x.ToResponse(), Entity, actor.OpOr(RevisionOps.Create), actor, ct))!;

    /// <summary>Replaces the source if it is still at <paramref name="expected"/>; null when it is not (gone or changed).</summary>
    public Task<SourceResponse?> UpdateAsync(Guid id, SourceRequest r, int expected, Actor actor, CancellationToken ct) =>
        RecordedWrite.RunAsync<SourceRow, SourceResponse>(dataSource, Update, Args(id, r, expected), x => x.ToResponse(), Entity, actor.OpOr(RevisionOps.Update), actor, ct);

    public Task<int?> VersionAsync(Guid id, CancellationToken ct) => GuardedDelete.VersionAsync(dataSource, VersionOf, id, ct);

    public Task<DeleteResult> DeleteAsync(Guid id, int expected, Actor actor, CancellationToken ct) =>
        GuardedDelete.RunAsync(dataSource, VersionOf, Usages, Delete, id, expected, ct, async (conn, tx) =>
        {
            // The revision of a delete keeps the last state, as the version after the last.
            var last = (await conn.QuerySingleAsync<SourceRow>(new CommandDefinition(ById, new { Id = id }, tx, cancellationToken: ct))).ToResponse();
            await ChangeRecorder.RecordAsync(conn, tx, Entity, ChangeRecorder.SameForReaders, id, last.Version + 1, RevisionOps.Delete, last, actor, ct);
        });

    private static object Args(Guid id, SourceRequest r, int expected, int version = 1) => new
    {
        Id = id,
        Version = version,
        r.Slug,
        r.Name,
        Kind = Wire<SourceKind>.Name(r.Kind),
        r.Url,
        r.Country,
        Expected = expected,
    };

    private Task<List<SourceResponse>> ReadAsync(string target, object args, Audience audience, IReadOnlySet<string> include, CancellationToken ct) =>
        QuoteOwnerReads.ReadAsync<SourceRow, SourceResponse>(reads.For(audience), QuoteOwner.Source, target, args, audience, include, r => r.ToResponse(), ct);
}
