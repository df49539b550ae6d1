using System.Globalization;
using System.Text.RegularExpressions;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;
using ContentApi.Writes;
using Npgsql;

namespace ContentApi.Bench;

/// <summary>
/// pgbench ceilings of the two write scenarios, from the statement texts the repositories send (so the ceiling cannot
/// drift from the API): <c>update-article</c>'s PATCH (the editor's read of the current article, then
/// <see cref="ArticleRepository.UpdateStatements"/>, the revision with the eviction NOTIFY, the commit) and
/// <c>create-quote</c> (the Idempotency-Key claim, the insert, the revision with the NOTIFY and the stored answer, the commit).
/// pgbench cannot compute a request from a response, so each transaction reads its request's values from a table
/// written here (bench_update_targets, bench_quote_args: one primary-key read the API does not make), the new version
/// is the read version plus one, and each of the 4 clients updates only its own articles (n mod 4), so no two
/// transactions wait on one row. A request value that is null in the API (a correction, a source URL) is the literal null.
/// </summary>
public static class WriteCeilings
{
    private const int Clients = 4; // the API's pool, and the ceiling scenarios' -c
    private const int UpdateTargets = 1000;
    private const int QuoteArgs = 500;
    // The eviction NOTIFY (and a create's stored answer) go with the revision statement, inside the write's transaction
    // (Writes/CommitNotice, Writes/IdempotentAnswer).
    private static readonly Dictionary<string, string> Notice = new()
    {
        ["NoticeChannel"] = "'contentapi_writes'",
        ["NoticePayload"] = "'0123456789abcdef0123456789abcdef'",
    };

    public static async Task WriteAsync(NpgsqlDataSource ds, string outDir)
    {
        Database.ConfigureDapper(); // the repositories' row mapping, as the API sets it up
        await WriteUpdateAsync(ds, outDir);
        await WriteQuoteAsync(ds, outDir);
    }

    private static async Task WriteUpdateAsync(NpgsqlDataSource ds, string outDir)
    {
        var articles = new ArticleRepository(ds);
        var ids = new List<Guid>();
        await using (var conn = await ds.OpenConnectionAsync())
        {
            // Published articles like the scenario's, with every nullable field the PATCH sends set. They may be the
            // scenario's own: its versions are read again before it runs (Prepare), and run.sh runs this ceiling after it.
            await using var cmd = new NpgsqlCommand("""
                select a.id from articles a
                where a.status = 'published' and a.published_at <= now() and a.summary is not null and a.byline is not null and a.hero_image is not null
                  and a.section is not null
                order by md5(a.id::text) limit @Take
                """, conn);
            cmd.Parameters.AddWithValue("Take", UpdateTargets);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        }
        await using (var conn = await ds.OpenConnectionAsync())
        {
            await using (var create = new NpgsqlCommand("""
                drop table if exists bench_update_targets;
                create table bench_update_targets (n int primary key, "Id" uuid, "Slug" text, "Title" text, "Summary" text,
                  "Language" text, "Status" text, "PublishedAt" timestamptz, "Section" text, "Tags" text[], "Byline" text,
                  "HeroImage" text, "Body" text, "PersonIds" uuid[], "PersonRoles" text[], "SourceIds" uuid[],
                  "SourceRelations" text[], "QuoteIds" uuid[], "State" text);
                """, conn))
                await create.ExecuteNonQueryAsync();
            for (var n = 0; n < ids.Count; n++)
            {
                var a = await articles.GetAsync(new IdOrSlug(ids[n], null), Audience.Editor, ArticleIncludes.None, CancellationToken.None)
                    ?? throw new InvalidOperationException($"article {ids[n]} vanished");
                // What the scenario's merge patch makes of it (update-article.lua: a new summary, section Nasional).
                var r = a.ToRequest() with { Summary = "Diperbarui redaksi, revisi 1.", Section = "Nasional" };
                var state = ChangeRecorder.Serialize(a with { Summary = r.Summary, Section = r.Section, Version = a.Version + 1 });
                await using var insert = new NpgsqlCommand("""
                    insert into bench_update_targets values (@n, @Id, @Slug, @Title, @Summary, @Language, @Status, @PublishedAt, @Section,
                      @Tags, @Byline, @HeroImage, @Body, @PersonIds, @PersonRoles, @SourceIds, @SourceRelations, @QuoteIds, @State)
                    """, conn);
                var p = insert.Parameters;
                p.AddWithValue("n", n);
                p.AddWithValue("Id", a.Id);
                p.AddWithValue("Slug", r.Slug);
                p.AddWithValue("Title", r.Title);
                p.AddWithValue("Summary", r.Summary!);
                p.AddWithValue("Language", r.Language);
                p.AddWithValue("Status", Wire<ArticleStatus>.Name(r.Status));
                p.AddWithValue("PublishedAt", r.PublishedAt ?? throw new InvalidOperationException($"{a.Id} {a.Status} has no publishedAt"));
                p.AddWithValue("Section", r.Section!);
                p.AddWithValue("Tags", r.Tags.ToArray());
                p.AddWithValue("Byline", r.Byline!);
                p.AddWithValue("HeroImage", ContentJson.Serialize(r.HeroImage!));
                p.AddWithValue("Body", ContentJson.Serialize(r.Body));
                p.AddWithValue("PersonIds", r.People.Select(x => x.PersonId).ToArray());
                p.AddWithValue("PersonRoles", r.People.Select(x => Wire<PersonRole>.Name(x.Role)).ToArray());
                p.AddWithValue("SourceIds", r.Sources.Select(x => x.SourceId).ToArray());
                p.AddWithValue("SourceRelations", r.Sources.Select(x => Wire<SourceRelation>.Name(x.Relation)).ToArray());
                p.AddWithValue("QuoteIds", r.EffectiveQuoteIds().ToArray());
                p.AddWithValue("State", state);
                await insert.ExecuteNonQueryAsync();
            }
        }

        var values = new Dictionary<string, string>
        {
            ["Correction"] = "null",
            ["Expected"] = ":g_version",
            ["Entity"] = $"'{ArticleRepository.Entity}'",
            ["Op"] = $"'{RevisionOps.Update}'",
            ["KeyId"] = "null",
            ["Name"] = "'bench-editor'",
            ["Ids"] = "array[:Id::uuid]",
            ["Versions"] = "array[:v::int]",
            ["States"] = "array[:State::text]",
        };
        foreach (var name in new[] { "Id", "Slug", "Title", "Summary", "Language", "Status", "PublishedAt", "Section", "Byline", "HeroImage", "Body" })
            values[name] = ":" + name;
        // Arrays go typed, as Npgsql sends them.
        foreach (var (name, type) in new[] { ("Tags", "text"), ("PersonIds", "uuid"), ("PersonRoles", "text"), ("SourceIds", "uuid"), ("SourceRelations", "text"), ("QuoteIds", "uuid") })
            values[name] = $":{name}::{type}[]";
        var load = Statements(ArticleRepository.UpdateStatements.Load, values);
        var first = Statements(ArticleRepository.UpdateStatements.First, values);
        // The scenario's PATCH leaves the links as they are: no quote is touched.
        var links = Statements(ArticleRepository.UpdateStatements.Links(false), values);
        var record = Statements(ChangeRecorder.GenericPlan + ArticleRepository.UpdateStatements.Record + ChangeRecorder.NotifyStatement + ChangeRecorder.UsualPlans, values.Concat(Notice).ToDictionary());
        var script = $"""
            \set n :client_id + {Clients} * random(0, {ids.Count / Clients - 1})
            select "Id", "Slug", "Title", "Summary", "Language", "Status", "PublishedAt", "Section", "Tags", "Byline", "HeroImage", "Body", "PersonIds", "PersonRoles", "SourceIds", "SourceRelations", "QuoteIds", "State" from bench_update_targets where n = :n \gset
            {load[0].TrimEnd(';')} \gset g_
            {string.Join("\n", load.Skip(1))}
            \set v :g_version + 1
            \startpipeline
            begin;
            {string.Join("\n", first)}
            \endpipeline
            \startpipeline
            {string.Join("\n", links)}
            \endpipeline
            \startpipeline
            {string.Join("\n", record)}
            \endpipeline
            commit;

            """;
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-update.sql"), script.ReplaceLineEndings("\n"));
    }

    private static async Task WriteQuoteAsync(NpgsqlDataSource ds, string outDir)
    {
        var speakers = await File.ReadAllLinesAsync(Path.Combine(outDir, "speakers.txt"));
        var sources = await File.ReadAllLinesAsync(Path.Combine(outDir, "sources.txt"));
        var quotes = new QuoteRepository(ds);
        // A created quote's answer, as the revision's state and the stored Idempotency-Key answer (the size is what costs).
        Guid sample;
        await using (var conn = await ds.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand("select id from quotes order by id limit 1", conn))
            sample = (Guid)(await cmd.ExecuteScalarAsync())!;
        var quote = await quotes.GetAsync(sample, Audience.Editor, new HashSet<string>(), CancellationToken.None)
            ?? throw new InvalidOperationException("no quote to copy");
        var r = new Random(11);
        await using (var conn = await ds.OpenConnectionAsync())
        {
            await using (var create = new NpgsqlCommand("""
                drop table if exists bench_quote_args;
                create table bench_quote_args (n int primary key, "SpeakerId" uuid, "SourceId" uuid, "State" text);
                insert into bench_quote_args select x.n - 1, x.speaker, x.source, @State from unnest(@Speakers, @Sources) with ordinality as x(speaker, source, n);
                """, conn))
            {
                create.Parameters.AddWithValue("Speakers", Enumerable.Range(0, QuoteArgs).Select(_ => Guid.Parse(speakers[r.Next(speakers.Length)])).ToArray());
                create.Parameters.AddWithValue("Sources", Enumerable.Range(0, QuoteArgs).Select(_ => Guid.Parse(sources[r.Next(sources.Length)])).ToArray());
                create.Parameters.AddWithValue("State", ChangeRecorder.Serialize(quote with { ArticleIds = [] }));
                await create.ExecuteNonQueryAsync();
            }
        }
        // A new id per transaction (the API makes a UUIDv7): 48 random bits from pgbench, the same expression in every statement.
        const string id = "('00000000-0000-7000-8000-' || lpad(to_hex(:r::bigint), 12, '0'))::uuid";
        var values = new Dictionary<string, string>
        {
            ["Principal"] = "'bench-editor-key'",
            ["Key"] = "'bench-' || :r",
            ["Hash"] = @"'\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea",
            ["Id"] = id,
            ["Added"] = "'{}'::uuid[]",
            ["Version"] = "1",
            ["Text"] = "'Kami akan terus memantau perkembangan harga beras di seluruh provinsi (' || :r || ')'",
            ["Language"] = "'id'",
            ["Type"] = "'direct'",
            ["SpeakerId"] = ":SpeakerId",
            ["SpeakerRole"] = "'Juru bicara'",
            ["SaidOn"] = "'2025-06-15'::date",
            ["Occasion"] = "'kepada wartawan di Jakarta'",
            ["SourceId"] = ":SourceId",
            ["SourceUrl"] = "null",
            ["TranslationOfId"] = "null",
            ["Entity"] = $"'{QuoteRepository.Entity}'",
            ["Op"] = $"'{RevisionOps.Create}'",
            ["KeyId"] = "null",
            ["Name"] = "'bench-editor'",
            ["Ids"] = $"array[{id}]",
            ["Versions"] = "array[1]",
            ["States"] = "array[:State::text]",
            ["Status"] = "201",
            ["Location"] = $"'/v1/quotes/' || {id}",
            ["Body"] = ":State",
        };
        var (claim, complete) = IdempotencyRepository.Statements;
        var (insert, record) = QuoteRepository.CreateStatements;
        var script = $"""
            \set n random(0, {QuoteArgs - 1})
            \set r random(1, 281474976710655)
            select "SpeakerId", "SourceId", "State" from bench_quote_args where n = :n \gset
            \startpipeline
            {string.Join("\n", Statements(claim, values))}
            \endpipeline
            \startpipeline
            begin;
            {string.Join("\n", Statements(insert, values))}
            \endpipeline
            \startpipeline
            {string.Join("\n", Statements(ChangeRecorder.GenericPlan + record + ChangeRecorder.NotifyStatement + ";\n" + complete + ChangeRecorder.UsualPlans, values.Concat(Notice).ToDictionary()))}
            \endpipeline
            commit;

            """;
        await File.WriteAllTextAsync(Path.Combine(outDir, "pgbench-quote.sql"), script.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// A batch's statements for pgbench, each ending in ';': every @Parameter replaced by its pgbench expression (an
    /// unknown one is an error, so a new parameter in the API cannot go unnoticed). pgbench takes every ':' followed by
    /// a name as a variable, quotes or not, so a ':' inside a string literal ('HH24:MI') is split off ('HH24:' || 'MI').
    /// </summary>
    private static List<string> Statements(string batch, IReadOnlyDictionary<string, string> values)
    {
        var literalSafe = Regex.Replace(batch, "(?<!:):(?=[A-Za-z0-9_])", ":' || '");
        var bound = Regex.Replace(literalSafe, @"(?<![@\w])@([A-Za-z]\w*)",
            m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"no pgbench value for @{m.Groups[1].Value}"));
        return bound.Split(";\n").Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => s.ReplaceLineEndings(" ") + ";").ToList();
    }
}
