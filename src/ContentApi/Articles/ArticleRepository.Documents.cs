using ContentApi.Infrastructure;
using Npgsql;

namespace ContentApi.Articles;

// A reader's article built as one JSON document by PostgreSQL: one statement, one row, no mapping or serializing of the
// rows in the API. The SQL spells the contract's property order and formats; the copy through JsonRecode gives it
// ContentJson's escaping, so the bytes equal what the serializer writes for ArticleResponse (ArticleDocumentEquivalenceTests).
// Not on the API's read path: PostgreSQL spends about 1.8x the CPU of GetAsync's batch on it, more than the API saves
// (docs/performance-log.md, session 16). The benchmark measures it as compare-document.
public sealed partial class ArticleRepository
{
    /// <summary>
    /// A UTC timestamp as System.Text.Json writes a UTC DateTime: trailing zeros of the fraction dropped, then Z. The
    /// colons are quoted literals so that no ":name" appears, which pgbench would take for a variable.
    /// </summary>
    private static string Ts(string expr) =>
        $"rtrim(rtrim(to_char({expr} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24\":\"MI\":\"SS.US'), '0'), '.') || 'Z'";

    /// <summary>
    /// json_build_object of <paramref name="pairs"/>, then each optional member whose value is not null (the contract
    /// omits null includes): one CASE branch per combination, since a json object cannot be extended in place.
    /// </summary>
    private static string Obj(string pairs, params (string Key, string Value)[] optional)
    {
        if (optional.Length == 0) return $"json_build_object({pairs})";
        var (key, value) = optional[0];
        var rest = optional[1..];
        return $"case when ({value}) is null then {Obj(pairs, rest)} else {Obj(pairs + $", '{key}', {value}", rest)} end";
    }

    private static string PersonJson(string p) => $"""
        json_build_object('id', {p}.id, 'slug', {p}.slug, 'name', {p}.name, 'aliases', {p}.aliases, 'title', {p}.title,
          'affiliation', {p}.affiliation, 'description', {p}.description, 'wikidataId', {p}.wikidata_id, 'imageUrl', {p}.image_url,
          'roles', (select coalesce(json_agg(json_build_object('title', r.v->'title', 'affiliation', r.v->'affiliation', 'from', r.v->'from', 'to', r.v->'to') order by r.o), '[]')
                    from jsonb_array_elements({p}.roles) with ordinality r(v, o)),
          'version', {p}.version, 'createdAt', {Ts($"{p}.created_at")}, 'updatedAt', {Ts($"{p}.updated_at")})
        """;

    private static string SourceJson(string s) => $"""
        json_build_object('id', {s}.id, 'slug', {s}.slug, 'name', {s}.name, 'kind', {s}.kind, 'url', {s}.url, 'country', {s}.country,
          'version', {s}.version, 'createdAt', {Ts($"{s}.created_at")}, 'updatedAt', {Ts($"{s}.updated_at")})
        """;

    // The body's blocks member by member in the contract's order (jsonb keeps keys in its own order); a heading
    // without level is level 2, as reading it into HeadingBlock gives.
    private const string BodyJson = """
        (select coalesce(json_agg(case b.v->>'type'
            when 'paragraph' then json_build_object('type', 'paragraph', 'text', b.v->'text')
            when 'heading' then json_build_object('type', 'heading', 'text', b.v->'text', 'level', coalesce(b.v->'level', '2'))
            when 'quote' then json_build_object('type', 'quote', 'quoteId', b.v->'quoteId')
            when 'image' then json_build_object('type', 'image', 'url', b.v->'url', 'alt', b.v->'alt', 'caption', b.v->'caption')
            when 'embed' then json_build_object('type', 'embed', 'url', b.v->'url', 'title', b.v->'title', 'kind', b.v->'kind')
          end order by b.o), '[]')
         from jsonb_array_elements(a.body) with ordinality b(v, o))
        """;

    private static readonly string CorrectionsJson = $"""
        (select coalesce(json_agg(json_build_object('at', {Ts("(c.v->>'at')::timestamptz")}, 'text', c.v->'text') order by c.o), '[]')
         from jsonb_array_elements(a.corrections) with ordinality c(v, o))
        """;

    // Readers: a quote's articleIds are the visible articles only (QuoteRepository's reader columns).
    private static string QuoteJson(ArticleIncludes include)
    {
        var pairs = $"""
            'id', q.id, 'text', q.text, 'language', q.language, 'type', q.type, 'speakerId', q.speaker_id, 'speakerRole', q.speaker_role,
            'saidOn', q.said_on, 'occasion', q.occasion, 'sourceId', q.source_id, 'sourceUrl', q.source_url, 'translationOfId', q.translation_of_id,
            'articleIds', (select coalesce(json_agg(aq2.article_id order by aq2.article_id), '[]') from article_quotes aq2 join articles a2 on a2.id = aq2.article_id
                           where aq2.quote_id = q.id and article_visible(a2.status, a2.published_at)),
            'version', q.version, 'createdAt', {Ts("q.created_at")}, 'updatedAt', {Ts("q.updated_at")}
            """;
        var optional = new List<(string, string)>();
        if (include.QuoteSpeakers) optional.Add(("speaker", "sp.doc"));
        if (include.QuoteSources) optional.Add(("source", "so.doc"));
        return Obj(pairs, [.. optional]);
    }

    /// <summary>The statement of a reader's get (parameter @Slug or @Id): id, version, updated_at and the document as UTF-8.</summary>
    private static string DocumentSql(bool byId, ArticleIncludes include)
    {
        var person = include.People ? Obj("'personId', x.person_id, 'role', x.role", ("person", "p.doc")) : "json_build_object('personId', x.person_id, 'role', x.role)";
        var source = include.Sources ? Obj("'sourceId', x.source_id, 'relation', x.relation", ("source", "s.doc")) : "json_build_object('sourceId', x.source_id, 'relation', x.relation)";
        var quotes = !include.Quotes ? "" : $"""
            , 'quotes', (select coalesce(json_agg({QuoteJson(include)} order by aq.position), '[]')
                from article_quotes aq join quotes q on q.id = aq.quote_id
                {(include.QuoteSpeakers ? $"left join lateral (select {PersonJson("sp0")} as doc from people sp0 where sp0.id = q.speaker_id) sp on true" : "")}
                {(include.QuoteSources ? $"left join lateral (select {SourceJson("so0")} as doc from sources so0 where so0.id = q.source_id) so on true" : "")}
                where aq.article_id = a.id)
            """;
        return $"""
            select a.id, a.version, a.updated_at, convert_to(json_build_object(
              'id', a.id, 'slug', a.slug, 'title', a.title, 'summary', a.summary, 'language', a.language, 'status', a.status,
              'publishedAt', {Ts("a.published_at")}, 'section', a.section, 'tags', a.tags, 'byline', a.byline,
              'heroImage', case when jsonb_typeof(a.hero_image) = 'object'
                then json_build_object('url', a.hero_image->'url', 'alt', a.hero_image->'alt', 'caption', a.hero_image->'caption') end,
              'body', {BodyJson},
              'people', (select coalesce(json_agg({person} order by x.position), '[]') from article_people x
                {(include.People ? $"left join lateral (select {PersonJson("p0")} as doc from people p0 where p0.id = x.person_id) p on true" : "")}
                where x.article_id = a.id),
              'sources', (select coalesce(json_agg({source} order by x.position), '[]') from article_sources x
                {(include.Sources ? $"left join lateral (select {SourceJson("s0")} as doc from sources s0 where s0.id = x.source_id) s on true" : "")}
                where x.article_id = a.id),
              'quoteIds', (select coalesce(json_agg(x.quote_id order by x.position), '[]') from article_quotes x where x.article_id = a.id),
              'corrections', {CorrectionsJson},
              'version', a.version, 'createdAt', {Ts("a.created_at")}, 'updatedAt', {Ts("a.updated_at")}{quotes}
            )::text, 'UTF8') as doc
            from articles a where {(byId ? "a.id = @Id" : "a.slug = @Slug")} and {Visible}
            """;
    }

    /// <summary>The document statement for a slug (parameter @Slug), for the benchmark's pgbench comparison.</summary>
    public static string DocumentBySlugSql(ArticleIncludes include) => DocumentSql(false, include);

    private readonly string?[] documentSql = new string?[ArticleIncludes.Combinations * 2];

    /// <summary>
    /// A reader's article as the bytes of its JSON answer (what <see cref="GetAsync"/> and the serializer give for a
    /// reader), or null when readers cannot see it.
    /// </summary>
    public async Task<ArticleDocument?> GetDocumentAsync(IdOrSlug key, ArticleIncludes include, CancellationToken ct)
    {
        var slot = include.Ordinal * 2 + (key.Id is null ? 0 : 1);
        var sql = documentSql[slot] ??= DocumentSql(key.Id is not null, include);
        if (key.Id is null && !SlugRule().IsMatch(key.Slug ?? ""))
            return null;
        await using var conn = await reads.For(Audience.Reader).OpenConnectionAsync(ct);
        // Prepared explicitly, as GetAsync's batch: PostgreSQL neither parses nor plans it again on this connection.
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (key.Id is { } id) cmd.Parameters.Add(new NpgsqlParameter<Guid>("Id", id));
        else cmd.Parameters.Add(new NpgsqlParameter<string>("Slug", key.Slug!));
        await cmd.PrepareAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new ArticleDocument(reader.GetGuid(0), reader.GetInt32(1), reader.GetDateTime(2),
            JsonRecode.Compact(reader.GetFieldValue<byte[]>(3)));
    }
}
