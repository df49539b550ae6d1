using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentApi.Infrastructure;
using ContentApi.People;
using Dapper;
using Npgsql;

namespace ContentApi.Imports;

/// <summary>A stored person an import's name matched, and how sure the match is.</summary>
public sealed record PersonMatch
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Query { get; init; } = "";
    public string Roles { get; init; } = "[]";
    public double Confidence { get; init; }

    public List<PersonRoleSpan> RoleSpans => ContentJson.Deserialize<List<PersonRoleSpan>>(Roles) ?? [];
}

/// <summary>A stored source an import's outlet name matched.</summary>
public sealed record SourceMatch
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Query { get; init; } = "";
}

/// <summary>A person the import links or creates; <see cref="MatchNames"/> are the story's names for them that were looked up.</summary>
public sealed record PlannedPerson(Guid Id, bool IsNew, string Name, IReadOnlyList<string> Aliases, string? Role, IReadOnlyList<PersonRoleSpan> Roles, bool RolesChanged,
    IReadOnlyList<string> MatchNames);

public sealed record PlannedSource(Guid Id, bool IsNew, string Name, string Kind, string? Country, string? Url);

public sealed record PlannedQuote(string Text, string Type, string Language, Guid SpeakerId, string? SpeakerRole, DateOnly? SaidOn,
    string? Occasion, Guid? SourceId, string? SourceUrl, int Block, int Start, int End);

/// <summary>Everything one import writes, decided before the transaction starts.</summary>
public sealed record ImportPlan(Guid ArticleId, string Title, string Language, DateTime? PublishedAt, string? Section, string BodyJson,
    IReadOnlyList<PlannedPerson> People, IReadOnlyList<PlannedSource> Sources, IReadOnlyList<PlannedQuote> Quotes,
    IReadOnlyList<(Guid PersonId, string Role)> ArticlePeople, IReadOnlyList<(Guid SourceId, string Relation)> ArticleSources);

public sealed class ImportRepository(NpgsqlDataSource dataSource)
{
    // An exact name first, then an alias (one GIN lookup for both, migration 0015); only a full name that is neither
    // is looked up by similar spelling ("Kamala Haris"), where the word-similarity operator lets the trigram index on
    // lower(name) find the few candidates without reading every person.
    private const string MatchPeople = """
        with exact as (
          select x.name as query, p.id, p.name, p.roles::text as roles,
                 case when lower(p.name) = lower(x.name) then 1.0 else 0.9 end::float8 as confidence
          from unnest(@Names::text[]) as x(name)
          cross join lateral (
            select p.id, p.name, p.roles from people p
            where person_lower_names(p.name, p.aliases) @> array[lower(x.name)]
            order by lower(p.name) = lower(x.name) desc, p.id
            limit 1) p)
        select query, id, name, roles, confidence from exact
        union all
        select x.name, p.id, p.name, p.roles::text, round(similarity(lower(p.name), lower(x.name))::numeric, 2)::float8
        from unnest(@Names::text[]) as x(name)
        cross join lateral (
          select p.id, p.name, p.roles from people p
          where lower(x.name) <% lower(p.name) and similarity(lower(p.name), lower(x.name)) >= 0.6
          order by similarity(lower(p.name), lower(x.name)) desc, p.id
          limit 1) p
        where position(' ' in x.name) > 0 and x.name not in (select query from exact)
        """;

    // By name regardless of case or by slug, each side of the "or" through its own index (migration 0016).
    private const string MatchSources = """
        select x.name as query, s.id, s.name
        from unnest(@SourceNames::text[]) as x(name)
        cross join lateral (
          select s.id, s.name from sources s
          where lower(s.name) = lower(x.name) or s.slug = @Slugs[array_position(@SourceNames::text[], x.name)]
          order by lower(s.name) = lower(x.name) desc, s.id limit 1) s
        """;

    // Keys in the order given (the caller sorts them): two imports that share names take their locks in one order.
    private const string LockNames = "select count(pg_advisory_xact_lock(k)) from unnest(@Keys::bigint[]) as t(k)";

    private const string SlugTaken = "select exists (select 1 from people where slug = @Slug) or exists (select 1 from sources where slug = @Slug) or exists (select 1 from articles where slug = @Slug)";

    private const string InsertPerson = """
        insert into people (id, slug, name, aliases, title, roles) values (@Id, @Slug, @Name, @Aliases, @Title, @Roles::jsonb)
        """;

    private const string UpdateRoles = "update people set roles = @Roles::jsonb, version = version + 1, updated_at = now() where id = @Id";

    private const string InsertSource = "insert into sources (id, slug, name, kind, url, country) values (@Id, @Slug, @Name, @Kind, @Url, @Country)";

    /// <summary>The speaker's quote with these very words, if any, found by the words' md5 (migration 0019).</summary>
    public const string SameQuote = "select id from quotes where speaker_id = @SpeakerId and md5(text) = md5(@Text) and text = @Text order by id limit 1";

    private const string InsertQuote = """
        insert into quotes (id, text, language, type, speaker_id, speaker_role, said_on, occasion, source_id, source_url)
        values (@Id, @Text, @Language, @Type, @SpeakerId, @SpeakerRole, @SaidOn, @Occasion, @SourceId, @SourceUrl)
        """;

    private const string InsertArticle = """
        insert into articles (id, slug, title, language, status, published_at, section, body)
        values (@Id, @Slug, @Title, @Language, 'draft', @PublishedAt, @Section, @Body::jsonb)
        """;

    private const string Links = """
        insert into article_people (article_id, person_id, role, position)
        select @Id, x.person_id, x.role, x.ord - 1 from unnest(@PersonIds, @PersonRoles) with ordinality as x(person_id, role, ord);
        insert into article_sources (article_id, source_id, relation, position)
        select @Id, x.source_id, x.relation, x.ord - 1 from unnest(@SourceIds, @SourceRelations) with ordinality as x(source_id, relation, ord);
        insert into article_quotes (article_id, quote_id, position, body_block, body_start, body_end)
        select @Id, x.quote_id, x.ord - 1, x.block, x.start_at, x.end_at
        from unnest(@QuoteIds, @Blocks, @Starts, @Ends) with ordinality as x(quote_id, block, start_at, end_at, ord)
        """;

    private const string TouchQuotes = "update quotes set version = version + 1, updated_at = now() where id = any(@Ids)";

    /// <summary>The stored people and sources the story's names and outlets match, in one round trip.</summary>
    public async Task<(List<PersonMatch> People, List<SourceMatch> Sources)> MatchAsync(IReadOnlyCollection<string> names, IReadOnlyList<string> outlets, CancellationToken ct)
    {
        if (names.Count == 0 && outlets.Count == 0) return ([], []);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await MatchAsync(conn, null, names, outlets, ct);
    }

    // Prepared, explicitly (auto-prepare is off, see Database.ConfigureDataSource): planning was a good part of the people
    // statement's cost. The story's text holds no NUL (ImportBody refuses it), so binding cannot fail.
    private static async Task<(List<PersonMatch> People, List<SourceMatch> Sources)> MatchAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        IReadOnlyCollection<string> names, IReadOnlyList<string> outlets, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(MatchBoth, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("Names", names.Distinct().ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("SourceNames", outlets.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("Slugs", outlets.Select(Slug).ToArray()));
        await cmd.PrepareAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var people = (await Database.ReadSetAsync<PersonMatch>(reader, ct)).ToList();
        var sources = (await Database.ReadSetAsync<SourceMatch>(reader, ct)).ToList();
        return (people, sources);
    }

    private const string MatchBoth = MatchPeople + ";\n" + MatchSources;

    /// <summary>
    /// Writes the plan in one transaction; returns the stored quote id of each planned quote (reused ones included) and
    /// the planned ids of new people and sources that turned out to exist by then, with the stored id each became.
    /// </summary>
    public async Task<(List<Guid> QuoteIds, Dictionary<Guid, Guid> Relinked)> CommitAsync(ImportPlan plan, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var relinked = await RelinkNewAsync(conn, tx, plan, ct);
        if (relinked.Plan is { } p2) plan = p2;
        foreach (var p in plan.People)
        {
            var roles = ContentJson.Serialize(p.Roles);
            if (p.IsNew)
                await conn.ExecuteAsync(new CommandDefinition(InsertPerson, new
                {
                    p.Id, Slug = await FreeSlugAsync(conn, tx, p.Name, p.Id, ct), p.Name, Aliases = p.Aliases.ToArray(), Title = p.Role, Roles = roles,
                }, tx, cancellationToken: ct));
            else if (p.RolesChanged)
                await conn.ExecuteAsync(new CommandDefinition(UpdateRoles, new { p.Id, Roles = roles }, tx, cancellationToken: ct));
        }
        foreach (var s in plan.Sources.Where(s => s.IsNew))
            await conn.ExecuteAsync(new CommandDefinition(InsertSource, new
            {
                s.Id, Slug = await FreeSlugAsync(conn, tx, s.Name, s.Id, ct), s.Name, s.Kind, s.Url, s.Country,
            }, tx, cancellationToken: ct));

        await LockQuotesAsync(conn, tx, plan, ct);
        var ids = new List<Guid>();
        var reused = new List<Guid>();
        foreach (var q in plan.Quotes)
        {
            var same = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(SameQuote, new { q.SpeakerId, q.Text }, tx, cancellationToken: ct));
            if (same is { } existing)
            {
                ids.Add(existing);
                reused.Add(existing);
                continue;
            }
            var id = Guid.CreateVersion7();
            await conn.ExecuteAsync(new CommandDefinition(InsertQuote, new
            {
                Id = id, q.Text, q.Language, q.Type, q.SpeakerId, q.SpeakerRole, q.SaidOn, q.Occasion, q.SourceId, q.SourceUrl,
            }, tx, cancellationToken: ct));
            ids.Add(id);
        }

        await conn.ExecuteAsync(new CommandDefinition(InsertArticle, new
        {
            Id = plan.ArticleId, Slug = await FreeSlugAsync(conn, tx, plan.Title, plan.ArticleId, ct), plan.Title, plan.Language,
            plan.PublishedAt, plan.Section, Body = plan.BodyJson,
        }, tx, cancellationToken: ct));
        // One row per quote in the article: a quote found twice in the story keeps its first place.
        var firsts = ids.Select((id, i) => (id, q: plan.Quotes[i])).DistinctBy(x => x.id).ToList();
        await conn.ExecuteAsync(new CommandDefinition(Links, new
        {
            Id = plan.ArticleId,
            PersonIds = plan.ArticlePeople.Select(x => x.PersonId).ToArray(),
            PersonRoles = plan.ArticlePeople.Select(x => x.Role).ToArray(),
            SourceIds = plan.ArticleSources.Select(x => x.SourceId).ToArray(),
            SourceRelations = plan.ArticleSources.Select(x => x.Relation).ToArray(),
            QuoteIds = firsts.Select(x => x.id).ToArray(),
            Blocks = firsts.Select(x => x.q.Block).ToArray(),
            Starts = firsts.Select(x => x.q.Start).ToArray(),
            Ends = firsts.Select(x => x.q.End).ToArray(),
        }, tx, cancellationToken: ct));
        // Reused quotes now belong to one more article: a new version, so ETags and the sync feed see it.
        if (reused.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition(TouchQuotes, new { Ids = reused.Distinct().ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (ids, relinked.Ids);
    }

    /// <summary>
    /// Imports committing at the same moment each planned the same new name as new. Each takes a transaction lock on
    /// every name it would create (sorted, so two imports never wait on each other crosswise), then looks the names up
    /// again in a statement of its own, whose snapshot sees what an import that held the lock first committed: the
    /// later one links that person or source instead of creating a second. Matching stays as the plan's: same names,
    /// same rules.
    /// </summary>
    private static async Task<(ImportPlan? Plan, Dictionary<Guid, Guid> Ids)> RelinkNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportPlan plan, CancellationToken ct)
    {
        var ids = new Dictionary<Guid, Guid>();
        var newPeople = plan.People.Where(p => p.IsNew).ToList();
        var newSources = plan.Sources.Where(s => s.IsNew).ToList();
        if (newPeople.Count == 0 && newSources.Count == 0) return (null, ids);

        // A person is found by any of its names or aliases, a source by its name or slug; and the slug a new row takes
        // must still be free when it is written: lock on those.
        var keys = newPeople.SelectMany(p => p.MatchNames.Append(p.Name).Concat(p.Aliases)).Select(n => LockKey("person", n.ToLowerInvariant()))
            .Concat(newPeople.Select(p => p.Name).Concat(newSources.Select(s => s.Name)).Select(n => LockKey("slug", Slug(n))))
            .Distinct().Order().ToArray();
        await conn.ExecuteAsync(new CommandDefinition(LockNames, new { Keys = keys }, tx, cancellationToken: ct));

        var (people, sources) = await MatchAsync(conn, tx, newPeople.SelectMany(p => p.MatchNames).Distinct().ToList(), newSources.Select(s => s.Name).ToList(), ct);
        var persons = plan.People.ToList();
        for (var i = 0; i < persons.Count; i++)
        {
            var p = persons[i];
            if (!p.IsNew || ImportPlanner.MatchOf(p.Name, p.MatchNames, people) is not { } match) continue;
            ids[p.Id] = match.Id;
            var stored = match.RoleSpans;
            var added = p.Roles.Where(r => !stored.Any(s => s.Title.Equals(r.Title, StringComparison.OrdinalIgnoreCase))).ToList();
            persons[i] = p with { Id = match.Id, IsNew = false, Roles = [.. stored, .. added], RolesChanged = added.Count > 0 };
        }
        var outlets = plan.Sources.ToList();
        for (var i = 0; i < outlets.Count; i++)
        {
            var s = outlets[i];
            if (!s.IsNew || sources.FirstOrDefault(m => m.Query.Equals(s.Name, StringComparison.OrdinalIgnoreCase)) is not { } match) continue;
            ids[s.Id] = match.Id;
            outlets[i] = s with { Id = match.Id, IsNew = false };
        }
        if (ids.Count == 0) return (null, ids);

        Guid To(Guid id) => ids.TryGetValue(id, out var to) ? to : id;
        return (plan with
        {
            // Two of the story's people may now be one stored person: it is written and linked once.
            People = persons.DistinctBy(p => p.Id).ToList(),
            Sources = outlets.DistinctBy(s => s.Id).ToList(),
            Quotes = plan.Quotes.Select(q => q with { SpeakerId = To(q.SpeakerId), SourceId = q.SourceId is { } sid ? To(sid) : null }).ToList(),
            ArticlePeople = plan.ArticlePeople.Select(x => (To(x.PersonId), x.Role)).Distinct().ToList(),
            ArticleSources = plan.ArticleSources.Select(x => (To(x.SourceId), x.Relation)).Distinct().ToList(),
        }, ids);
    }

    /// <summary>
    /// Imports committing the same new quote by the same speaker at the same moment would each find no identical quote
    /// and insert it. Each takes a transaction lock on every (speaker, text) it may insert, sorted and after the name
    /// locks, so two imports never wait crosswise; each identical-quote lookup after it is a statement of its own, whose
    /// snapshot sees what the import that held the lock first committed. A person this import creates has no quotes
    /// anywhere else yet: no lock for theirs.
    /// </summary>
    private static async Task LockQuotesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportPlan plan, CancellationToken ct)
    {
        var created = plan.People.Where(p => p.IsNew).Select(p => p.Id).ToHashSet();
        var keys = plan.Quotes.Where(q => !created.Contains(q.SpeakerId))
            .Select(q => LockKey("quote", q.SpeakerId.ToString("N") + "\n" + q.Text)).Distinct().Order().ToArray();
        if (keys.Length > 0)
            await conn.ExecuteAsync(new CommandDefinition(LockNames, new { Keys = keys }, tx, cancellationToken: ct));
    }

    private static long LockKey(string kind, string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"import {kind}:{name}")), 0);

    private static async Task<string> FreeSlugAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, Guid id, CancellationToken ct)
    {
        var slug = Slug(name);
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(SlugTaken, new { Slug = slug }, tx, cancellationToken: ct)))
            return slug;
        return $"{slug[..Math.Min(slug.Length, 100)]}-{id.ToString("N")[^10..]}";
    }

    /// <summary>A URL-safe name: accents dropped, lowercase letters and digits, single hyphens, at most 110 characters.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var l = char.ToLowerInvariant(c);
            if (l is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(l);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > 110) slug = slug[..110].Trim('-');
        return slug.Length == 0 ? "story" : slug;
    }
}
