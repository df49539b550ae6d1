using ContentApi.Infrastructure;
using ContentApi.Quotes;
using ContentApi.Writes;
using Dapper;
using Npgsql;

namespace ContentApi.People;

public sealed class PersonRepository(NpgsqlDataSource dataSource, ReadDataSource? readSource = null)
{
    private readonly ReadDataSource reads = readSource ?? new(dataSource);
    private const string Columns =
        "p.id, p.slug, p.name, p.aliases, p.title, p.affiliation, p.description, p.wikidata_id, p.image_url, p.roles, p.version, p.created_at, p.updated_at";

    /// <summary>The people whose ids <paramref name="idsSql"/> selects, for another resource's include.</summary>
    public static string EmbedSql(string idsSql) => $"select {Columns} from people p where p.id in ({idsSql})";

    private const string ById = $"select {Columns} from people p where p.id = @Id";
    private const string BySlug = $"select {Columns} from people p where p.slug = @Slug";

    private const string Insert = $"""
        insert into people as p (id, slug, name, aliases, title, affiliation, description, wikidata_id, image_url, roles, version)
        values (@Id, @Slug, @Name, @Aliases, @Title, @Affiliation, @Description, @WikidataId, @ImageUrl, @Roles::jsonb, @Version)
        returning {Columns}
        """;

    private const string Update = $"""
        update people as p set slug = @Slug, name = @Name, aliases = @Aliases, title = @Title, affiliation = @Affiliation,
               description = @Description, wikidata_id = @WikidataId, image_url = @ImageUrl, roles = @Roles::jsonb,
               version = p.version + 1, updated_at = now()
        where p.id = @Id and p.version = @Expected
        returning {Columns}
        """;

    private const string VersionOf = "select version from people where id = @Id";

    private const string Usages = """
        (select 'quote' as type, q.id from quotes q where q.speaker_id = @Id limit 20)
        union all
        (select 'article', x.article_id from article_people x where x.person_id = @Id limit 20)
        """;

    private const string Delete = "delete from people where id = @Id and version = @Expected";

    // Typo-tolerant: trigram word similarity on name and aliases ("Jake Sulivan"), or a plain substring.
    private const string Search = "(@Q <% person_names(p.name, p.aliases) or person_names(p.name, p.aliases) ilike '%' || @Q || '%')";

    public async Task<PersonResponse?> GetAsync(IdOrSlug key, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var target = key.Id is null ? BySlug : ById;
        return (await ReadAsync(target, new { key.Id, key.Slug }, audience, include, ct)).SingleOrDefault();
    }

    public async Task<(IReadOnlyList<PersonResponse> Items, bool More)> ListAsync(
        string? q, Keyset? after, int limit, Audience audience, IReadOnlySet<string> include, CancellationToken ct)
    {
        var where = new List<string>();
        if (q is not null) where.Add(Search);
        if (after is not null) where.Add("(p.name, p.id) > (@AfterName, @AfterId)");
        var page = $"select {Columns} from people p {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")} order by p.name, p.id limit @Take";
        var args = new { Q = q, AfterName = after?.K, AfterId = after?.I, Take = limit + 1 };

        var items = await ReadAsync(page, args, audience, include, ct);
        var more = items.Count > limit;
        return (more ? items[..limit] : items, more);
    }

    public static Keyset KeysetOf(PersonResponse p) => new("people", p.Name, p.Id);

    /// <summary>The type name revisions and the sync feed know it by.</summary>
    public const string Entity = "person";

    public Task<PersonResponse> CreateAsync(PersonRequest r, Actor actor, CancellationToken ct) => InsertAsync(Guid.CreateVersion7(), 1, r, actor, ct);

    /// <summary>Inserts with a given id and version: a create, or an undelete continuing the item's history.</summary>
    public async Task<PersonResponse> InsertAsync(Guid id, int version, PersonRequest r, Actor actor, CancellationToken ct) =>
        (await RecordedWrite.RunAsync<PersonRow, PersonResponse>(dataSource, Insert, Args(id, r, 0, version), x => x.ToResponse(), Entity, actor.OpOr(RevisionOps.Create), actor, ct))!;

    /// <summary>Replaces the person if still at <paramref name="expected"/>; null when gone or changed.</summary>
    public Task<PersonResponse?> UpdateAsync(Guid id, PersonRequest r, int expected, Actor actor, CancellationToken ct) =>
        RecordedWrite.RunAsync<PersonRow, PersonResponse>(dataSource, Update, Args(id, r, expected), x => x.ToResponse(), Entity, actor.OpOr(RevisionOps.Update), actor, ct);

    public Task<int?> VersionAsync(Guid id, CancellationToken ct) => GuardedDelete.VersionAsync(dataSource, VersionOf, id, ct);

    public Task<DeleteResult> DeleteAsync(Guid id, int expected, Actor actor, CancellationToken ct) =>
        GuardedDelete.RunAsync(dataSource, VersionOf, Usages, Delete, id, expected, ct, async (conn, tx) =>
        {
            // The revision of a delete keeps the last state, as the version after the last.
            var last = (await conn.QuerySingleAsync<PersonRow>(new CommandDefinition(ById, new { Id = id }, tx, cancellationToken: ct))).ToResponse();
            await ChangeRecorder.RecordAsync(conn, tx, Entity, ChangeRecorder.SameForReaders, id, last.Version + 1, RevisionOps.Delete, last, actor, ct);
        });

    private static object Args(Guid id, PersonRequest r, int expected, int version = 1) => new
    {
        Id = id,
        Version = version,
        r.Slug,
        r.Name,
        Aliases = r.Aliases.ToArray(),
        r.Title,
        r.Affiliation,
        r.Description,
        r.WikidataId,
        r.ImageUrl,
        Roles = ContentJson.Serialize(r.Roles),
        Expected = expected,
    };

    private Task<List<PersonResponse>> ReadAsync(string target, object args, Audience audience, IReadOnlySet<string> include, CancellationToken ct) =>
        QuoteOwnerReads.ReadAsync<PersonRow, PersonResponse>(reads.For(audience), QuoteOwner.Speaker, target, args, audience, include, r => r.ToResponse(), ct);
}
