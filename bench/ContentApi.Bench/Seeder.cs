using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Bench;

/// <summary>
/// Loads N articles shaped like the sample story (db/samples/korut-rusia.json): 10-30 body blocks of about 3 KB
/// (paragraphs, headings, an image, an embed, quote blocks), about 3 quotes each, Indonesian and English, people with
/// aliases, a few hundred sources; most published, some drafts, scheduled and archived. Deterministic for a seed.
/// Binary COPY with triggers off (session_replication_role = replica), then the change feed rows in bulk exactly as
/// migration 0002 fills it for existing content, then the secondary indexes (dropped for the load) and ANALYZE.
/// Slugs: published bench-article-1..P (newest = P), then bench-draft-n, bench-scheduled-n, bench-archived-n.
/// </summary>
public static class Seeder
{
    public const int SourceCount = 300;
    private static readonly DateTime From = new(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ScheduledFrom = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Tables = ["people", "sources", "quotes", "articles", "article_people", "article_sources", "article_quotes"];

    public static async Task<int> RunAsync(Options o)
    {
        var conn = o.Get("conn");
        var n = o.GetInt("articles", 100_000);
        var outDir = o.Get("out");
        var seed = o.GetInt("seed", 42);
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();

        using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        await Database.MigrateAsync(conn, loggerFactory.CreateLogger("migrate"));
        await using var dataSource = NpgsqlDataSource.Create(conn);
        await using (var check = await dataSource.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand("select count(*) from articles", check);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0)
            {
                Console.Error.WriteLine("The database already has articles; seed into an empty one.");
                return 1;
            }
        }

        var indexes = await DropSecondaryIndexesAsync(dataSource);
        var stats = await LoadAsync(dataSource, n, seed, outDir);
        Console.Error.WriteLine($"seed: rows copied in {clock.Elapsed.TotalSeconds:F0} s; feed, indexes, analyze...");
        await ExecAsync(dataSource, FeedSql);
        await RecreateIndexesAsync(dataSource, indexes);
        foreach (var t in Tables.Append("sync_changes"))
            await ExecAsync(dataSource, $"vacuum (analyze) {t}");
        await WriteListsAsync(outDir, stats);
        Console.Error.WriteLine($"seed: {n} articles ({stats.Published} published), {stats.Quotes} quotes, {stats.People} people quoted or linked and {stats.Filler} more, " +
                                $"{SourceCount} sources, average body {stats.BodyBytes / Math.Max(1, n)} bytes, {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    // Same rows as migration 0002 writes for content that predates it: one per entity, public as readers would see it.
    // In creation order, so the feed reads like a newsroom's history.
    private const string FeedSql = """
        set maintenance_work_mem = '512MB';
        insert into sync_changes (entity, id, tx, seq, version, ever_public)
        select entity, id, pg_current_xact_id(), row_number() over (order by created_at, id), version, ever_public
        from (
          select 'person' as entity, id, version, true as ever_public, created_at from people
          union all
          select 'source', id, version, true, created_at from sources
          union all
          select 'article', id, version, status = 'published' and published_at <= now(), created_at from articles
          union all
          select 'quote', q.id, q.version,
                 exists (select 1 from article_quotes aq join articles a on a.id = aq.article_id
                         where aq.quote_id = q.id and a.status = 'published' and a.published_at <= now()), q.created_at
          from quotes q) x;
        select setval('sync_seq', (select max(seq) from sync_changes));
        """;

    private static async Task ExecAsync(NpgsqlDataSource ds, string sql)
    {
        await using var c = await ds.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Indexes that back no constraint are dropped for the load and rebuilt from their own definitions after.</summary>
    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlDataSource ds)
    {
        var defs = new List<(string Name, string Def)>();
        await using (var c = await ds.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand("""
                select i.indexname, i.indexdef from pg_indexes i
                where i.schemaname = 'public' and i.tablename = any(@t)
                  and not exists (select 1 from pg_constraint k where k.conname = i.indexname)
                """, c);
            cmd.Parameters.AddWithValue("t", Tables);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) defs.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var (name, _) in defs)
            await ExecAsync(ds, $"drop index \"{name}\"");
        return defs.Select(d => d.Def).ToList();
    }

    private static async Task RecreateIndexesAsync(NpgsqlDataSource ds, List<string> defs)
    {
        // Two at a time: the machine has two cores.
        var queue = new Queue<string>(defs);
        async Task Worker()
        {
            await using var c = await ds.OpenConnectionAsync();
            await using (var set = new NpgsqlCommand("set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 0", c))
                await set.ExecuteNonQueryAsync();
            while (true)
            {
                string def;
                lock (queue) { if (!queue.TryDequeue(out def!)) return; }
                await using var cmd = new NpgsqlCommand(def, c) { CommandTimeout = 0 };
                await cmd.ExecuteNonQueryAsync();
            }
        }
        await Task.WhenAll(Worker(), Worker());
    }

    public sealed class Stats
    {
        public int Published, Drafts, Scheduled, Archived, Quotes, People, Filler;
        public long BodyBytes;
        public List<Guid> PersonIds = [];
        public int[] VisibleQuotesBySpeaker = [];
        public List<Guid> SourceIds = [];
        public List<(Guid Id, int Version)> UpdateIds = [];
        public List<string> SearchTerms = [];
    }

    private sealed record Person(int Index, Guid Id, string Name, string Title, bool Indonesian);

    private static async Task<Stats> LoadAsync(NpgsqlDataSource ds, int n, int seed, string outDir)
    {
        var r = new Random(seed);
        var stats = new Stats { People = Math.Max(500, n / 20) };

        // Statuses first, so published articles get their dates spread evenly and slugs 1..P in date order.
        var statusRandom = new Random(seed + 1);
        var status = new byte[n]; // 0 published, 1 draft, 2 scheduled, 3 archived
        for (var i = 0; i < n; i++)
        {
            var x = statusRandom.NextDouble();
            status[i] = x < 0.90 ? (byte)0 : x < 0.96 ? (byte)1 : x < 0.98 ? (byte)2 : (byte)3;
        }
        var publishedTotal = status.Count(s => s == 0);

        var conns = new List<NpgsqlConnection>();
        async Task<NpgsqlBinaryImporter> Importer(string copy)
        {
            var c = await ds.OpenConnectionAsync();
            conns.Add(c);
            await using (var set = new NpgsqlCommand("set session_replication_role = replica; set synchronous_commit = off", c))
                await set.ExecuteNonQueryAsync();
            return await c.BeginBinaryImportAsync(copy);
        }

        // People and sources.
        var people = new List<Person>(stats.People);
        await using (var imp = await Importer("copy people (id, slug, name, aliases, title, affiliation, description, wikidata_id, image_url, version, created_at, updated_at) from stdin (format binary)"))
        {
            for (var i = 0; i < stats.People; i++)
            {
                var created = From.AddMinutes(r.Next(0, 60 * 24 * 365));
                var first = Text.FirstNames[r.Next(Text.FirstNames.Length)];
                var last = Text.LastNames[r.Next(Text.LastNames.Length)];
                var name = $"{first} {last}";
                var indonesian = r.NextDouble() < 0.6;
                var title = indonesian ? Text.IdTitles[r.Next(Text.IdTitles.Length)] : Text.EnTitles[r.Next(Text.EnTitles.Length)];
                var aliases = r.Next(4) switch { 0 => new[] { last }, 1 => [last, first], 2 => [last, last + "s"], _ => [first[0] + ". " + last] };
                var p = new Person(i, Uuid7(created, r), name, title, indonesian);
                people.Add(p);
                imp.StartRow();
                imp.Write(p.Id, NpgsqlDbType.Uuid);
                imp.Write(Text.Slugify(name) + "-" + (i + 1).ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                imp.Write(name, NpgsqlDbType.Text);
                imp.Write(aliases, NpgsqlDbType.Array | NpgsqlDbType.Text);
                imp.Write(title, NpgsqlDbType.Text);
                imp.Write(Text.Orgs[r.Next(Text.Orgs.Length)], NpgsqlDbType.Text);
                WriteNullable(imp, r.Next(3) == 0 ? Text.Sentences(r, indonesian, 120) : null, NpgsqlDbType.Text);
                WriteNullable(imp, r.Next(4) == 0 ? "Q" + r.Next(1, 99_999_999).ToString(CultureInfo.InvariantCulture) : null, NpgsqlDbType.Text);
                WriteNullable(imp, r.Next(2) == 0 ? $"https://media.example.org/people/{p.Id:N}.jpg" : null, NpgsqlDbType.Text);
                imp.Write(1, NpgsqlDbType.Integer);
                imp.Write(created, NpgsqlDbType.TimestampTz);
                imp.Write(created, NpgsqlDbType.TimestampTz);
            }
            // Half as many people as articles in all (50k at 100k), as a newsroom's register holds many people it seldom
            // quotes: the import matches names against all of them. The others are never linked, and draw from their own
            // generator so the linked rows stay those of earlier seeds.
            var fr = new Random(seed + 7);
            for (var i = stats.People; i < Math.Max(stats.People, n / 2); i++)
            {
                var created = From.AddMinutes(fr.Next(0, 60 * 24 * 365));
                var first = Text.FirstNames[fr.Next(Text.FirstNames.Length)];
                var last = Text.LastNames[fr.Next(Text.LastNames.Length)];
                var name = fr.Next(2) == 0 ? $"{first} {last}" : $"{first} {Text.FirstNames[fr.Next(Text.FirstNames.Length)]} {last}";
                var indonesian = fr.NextDouble() < 0.6;
                imp.StartRow();
                imp.Write(Uuid7(created, fr), NpgsqlDbType.Uuid);
                imp.Write(Text.Slugify(name) + "-" + (i + 1).ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                imp.Write(name, NpgsqlDbType.Text);
                imp.Write(new[] { last }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                imp.Write(indonesian ? Text.IdTitles[fr.Next(Text.IdTitles.Length)] : Text.EnTitles[fr.Next(Text.EnTitles.Length)], NpgsqlDbType.Text);
                imp.Write(Text.Orgs[fr.Next(Text.Orgs.Length)], NpgsqlDbType.Text);
                imp.WriteNull();
                imp.WriteNull();
                imp.WriteNull();
                imp.Write(1, NpgsqlDbType.Integer);
                imp.Write(created, NpgsqlDbType.TimestampTz);
                imp.Write(created, NpgsqlDbType.TimestampTz);
                stats.Filler++;
            }
            await imp.CompleteAsync();
        }
        stats.PersonIds = people.Select(p => p.Id).ToList();
        stats.VisibleQuotesBySpeaker = new int[people.Count];

        string[] kinds = ["agency", "newspaper", "broadcaster", "magazine", "website", "government", "organization", "other"];
        string[] known = ["Reuters", "AFP", "Associated Press", "Antara", "Kompas", "Tempo", "BBC", "CNN", "Al Jazeera", "The New York Times",
                          "CBS News", "Bloomberg", "Xinhua", "Kyodo", "Yonhap", "The Guardian", "Detik", "Jakarta Post", "Nikkei", "DW"];
        string[] countries = ["ID", "US", "GB", "FR", "DE", "JP", "KR", "CN", "SG", "MY", "AU", "RU"];
        var sources = new List<Guid>(SourceCount);
        await using (var imp = await Importer("copy sources (id, slug, name, kind, url, country, version, created_at, updated_at) from stdin (format binary)"))
        {
            for (var i = 0; i < SourceCount; i++)
            {
                var created = From.AddMinutes(r.Next(0, 60 * 24 * 30));
                var name = i < known.Length ? known[i] : r.Next(3) switch
                {
                    0 => $"Harian {Text.Places[r.Next(Text.Places.Length)]} {i}",
                    1 => $"Radio {Text.Places[r.Next(Text.Places.Length)]} {i}",
                    _ => $"{Text.Orgs[r.Next(Text.Orgs.Length)]} {i}",
                };
                var id = Uuid7(created, r);
                sources.Add(id);
                var slug = Text.Slugify(name);
                imp.StartRow();
                imp.Write(id, NpgsqlDbType.Uuid);
                imp.Write(slug, NpgsqlDbType.Text);
                imp.Write(name, NpgsqlDbType.Text);
                imp.Write(kinds[i < known.Length ? (i < 4 ? 0 : 1) : r.Next(kinds.Length)], NpgsqlDbType.Text);
                imp.Write($"https://www.{slug}.example.com", NpgsqlDbType.Text);
                imp.Write(countries[r.Next(countries.Length)], NpgsqlDbType.Text);
                imp.Write(1, NpgsqlDbType.Integer);
                imp.Write(created, NpgsqlDbType.TimestampTz);
                imp.Write(created, NpgsqlDbType.TimestampTz);
            }
            await imp.CompleteAsync();
        }
        stats.SourceIds = sources;

        var articles = await Importer("copy articles (id, slug, title, summary, language, status, published_at, section, tags, byline, hero_image, body, version, created_at, updated_at) from stdin (format binary)");
        var quotes = await Importer("copy quotes (id, text, language, type, speaker_id, speaker_role, said_on, occasion, source_id, source_url, translation_of_id, version, created_at, updated_at) from stdin (format binary)");
        var articlePeople = await Importer("copy article_people (article_id, person_id, role, position) from stdin (format binary)");
        var articleSources = await Importer("copy article_sources (article_id, source_id, relation, position) from stdin (format binary)");
        var articleQuotes = await Importer("copy article_quotes (article_id, quote_id, position) from stdin (format binary)");

        string[] quoteTypes = ["direct", "direct", "direct", "partial", "indirect"];
        string[] idOccasions = ["kepada wartawan di {0}", "dalam konferensi pers di {0}", "dalam wawancara dengan {1}", "di sela kunjungan ke {0}", "dalam rapat di {0}"];
        string[] enOccasions = ["told reporters in {0}", "at a news conference in {0}", "in an interview with {1}", "during a visit to {0}", "at a hearing in {0}"];
        string[] embedKinds = ["video", "video", "social", "map", "audio", "document"];
        var tagPool = Enumerable.Range(0, 400).Select(i => Text.Slugify(Text.IdWords[i % Text.IdWords.Length] + (i < Text.IdWords.Length ? "" : "-" + Text.EnWords[i % Text.EnWords.Length]))).ToArray();

        int published = 0, drafts = 0, scheduled = 0, archived = 0, quoteCount = 0;
        long bodyBytes = 0;
        var articlePeopleSet = new HashSet<(Guid, string)>();
        var articleSourceSet = new HashSet<Guid>();
        for (var i = 0; i < n; i++)
        {
            string slug;
            DateTime? publishedAt;
            DateTime created;
            var st = status[i];
            switch (st)
            {
                case 0:
                    published++;
                    slug = "bench-article-" + published.ToString(CultureInfo.InvariantCulture);
                    publishedAt = From.AddSeconds((To - From).TotalSeconds * published / publishedTotal + r.Next(-600, 600));
                    created = publishedAt.Value.AddMinutes(-r.Next(10, 600));
                    break;
                case 1:
                    drafts++;
                    slug = "bench-draft-" + drafts.ToString(CultureInfo.InvariantCulture);
                    publishedAt = null;
                    created = To.AddMinutes(-r.Next(0, 60 * 24 * 60));
                    break;
                case 2:
                    scheduled++;
                    slug = "bench-scheduled-" + scheduled.ToString(CultureInfo.InvariantCulture);
                    publishedAt = ScheduledFrom.AddHours(scheduled);
                    created = To.AddMinutes(-r.Next(0, 60 * 24 * 30));
                    break;
                default:
                    archived++;
                    slug = "bench-archived-" + archived.ToString(CultureInfo.InvariantCulture);
                    publishedAt = From.AddSeconds((To - From).TotalSeconds * r.NextDouble());
                    created = publishedAt.Value.AddMinutes(-r.Next(10, 600));
                    break;
            }
            var visible = st == 0;
            var indonesian = r.NextDouble() < 0.7;
            var language = indonesian ? "id" : "en";
            var articleId = Uuid7(created, r);
            var updated = (publishedAt ?? created).AddMinutes(r.Next(0, 180));
            if (updated < created) updated = created;
            var version = r.Next(5) == 0 ? 1 + r.Next(1, 4) : 1;

            // People: subjects and mentions, then the speakers of the quotes.
            var main = people[Text.Skewed(r, people.Count, 1.6)];
            var quoteN = r.Next(1, 6); // 1..5, about 3 on average
            var speakers = new Person[quoteN];
            for (var k = 0; k < quoteN; k++)
                speakers[k] = k == 0 && r.Next(2) == 0 ? main : people[Text.Skewed(r, people.Count, 1.6)];

            var quoteIds = new Guid[quoteN];
            for (var k = 0; k < quoteN; k++)
            {
                var qid = Uuid7(created.AddSeconds(k + 1), r);
                quoteIds[k] = qid;
                var sp = speakers[k];
                var sourceIndex = r.Next(5) == 0 ? -1 : Text.Skewed(r, sources.Count, 1.5);
                var place = Text.Places[r.Next(Text.Places.Length)];
                var outlet = sourceIndex >= 0 && sourceIndex < known.Length ? known[sourceIndex] : known[r.Next(known.Length)];
                quotes.StartRow();
                quotes.Write(qid, NpgsqlDbType.Uuid);
                quotes.Write(Text.Sentences(r, indonesian, 60 + r.Next(190)), NpgsqlDbType.Text);
                quotes.Write(language, NpgsqlDbType.Text);
                quotes.Write(quoteTypes[r.Next(quoteTypes.Length)], NpgsqlDbType.Text);
                quotes.Write(sp.Id, NpgsqlDbType.Uuid);
                quotes.Write(sp.Title, NpgsqlDbType.Text);
                quotes.Write(DateOnly.FromDateTime((publishedAt ?? created).AddDays(-r.Next(0, 3))), NpgsqlDbType.Date);
                quotes.Write(string.Format(CultureInfo.InvariantCulture, (indonesian ? idOccasions : enOccasions)[r.Next(5)], place, outlet), NpgsqlDbType.Text);
                WriteNullable(quotes, sourceIndex >= 0 ? sources[sourceIndex] : (Guid?)null, NpgsqlDbType.Uuid);
                WriteNullable(quotes, sourceIndex >= 0 && r.Next(2) == 0 ? $"https://news.example.com/{slug}/{k}" : null, NpgsqlDbType.Text);
                quotes.WriteNull();
                quotes.Write(1, NpgsqlDbType.Integer);
                quotes.Write(created.AddSeconds(k + 1), NpgsqlDbType.TimestampTz);
                quotes.Write(created.AddSeconds(k + 1), NpgsqlDbType.TimestampTz);

                articleQuotes.StartRow();
                articleQuotes.Write(articleId, NpgsqlDbType.Uuid);
                articleQuotes.Write(qid, NpgsqlDbType.Uuid);
                articleQuotes.Write(k, NpgsqlDbType.Integer);
                if (visible) stats.VisibleQuotesBySpeaker[sp.Index]++;
            }
            quoteCount += quoteN;

            articlePeopleSet.Clear();
            var position = 0;
            void LinkPerson(Person p, string role)
            {
                if (!articlePeopleSet.Add((p.Id, role))) return;
                articlePeople.StartRow();
                articlePeople.Write(articleId, NpgsqlDbType.Uuid);
                articlePeople.Write(p.Id, NpgsqlDbType.Uuid);
                articlePeople.Write(role, NpgsqlDbType.Text);
                articlePeople.Write(position++, NpgsqlDbType.Integer);
            }
            LinkPerson(main, "subject");
            if (r.Next(3) == 0) LinkPerson(people[Text.Skewed(r, people.Count, 1.6)], "subject");
            foreach (var sp in speakers) LinkPerson(sp, "mentioned");
            for (var k = r.Next(0, 3); k > 0; k--) LinkPerson(people[Text.Skewed(r, people.Count, 1.6)], "mentioned");
            if (r.Next(4) == 0) LinkPerson(people[r.Next(people.Count)], "author");

            articleSourceSet.Clear();
            position = 0;
            for (var k = r.Next(1, 5); k > 0; k--)
            {
                var s = sources[Text.Skewed(r, sources.Count, 1.5)];
                if (!articleSourceSet.Add(s)) continue;
                articleSources.StartRow();
                articleSources.Write(articleId, NpgsqlDbType.Uuid);
                articleSources.Write(s, NpgsqlDbType.Uuid);
                articleSources.Write(r.Next(2) == 0 ? "cited" : "reported-via", NpgsqlDbType.Text);
                articleSources.Write(position++, NpgsqlDbType.Integer);
            }

            // Body: 10-30 blocks, about 3 KB; the quotes appear as quote blocks.
            var blockCount = r.Next(10, 31);
            var headings = r.Next(1, 4);
            var hasEmbed = r.Next(10) < 6;
            var paragraphs = Math.Max(3, blockCount - headings - 1 - (hasEmbed ? 1 : 0) - quoteN);
            var paragraphLength = Math.Max(60, (2900 - 110 * (blockCount - paragraphs)) / paragraphs - 30);
            var body = new List<BodyBlock>(blockCount);
            for (var k = 0; k < paragraphs; k++)
            {
                var name = k % 3 == 0 ? speakers[r.Next(quoteN)].Name : null;
                body.Add(new ParagraphBlock { Text = Text.Sentences(r, indonesian, Math.Max(40, paragraphLength + r.Next(-paragraphLength / 3, paragraphLength / 3)), name) });
            }
            for (var k = 0; k < headings; k++)
                body.Insert(2 + r.Next(body.Count - 2), new HeadingBlock { Text = Text.Sentences(r, indonesian, 25 + r.Next(20)).TrimEnd('.'), Level = 2 });
            body.Insert(1 + r.Next(3), new ImageBlock
            {
                Url = $"https://media.example.org/images/{articleId:N}-{r.Next(9)}.jpg",
                Alt = Text.Sentences(r, indonesian, 30).TrimEnd('.'),
                Caption = r.Next(3) == 0 ? null : Text.Sentences(r, indonesian, 60),
            });
            if (hasEmbed)
                body.Insert(3 + r.Next(body.Count - 3), new EmbedBlock
                {
                    Url = $"https://media.example.org/video/{slug}",
                    Title = Text.Sentences(r, indonesian, 40).TrimEnd('.'),
                    Kind = Enum.Parse<EmbedKind>(embedKinds[r.Next(embedKinds.Length)], ignoreCase: true),
                });
            for (var k = 0; k < quoteN; k++)
                body.Insert(Math.Min(body.Count, 2 + (k + 1) * body.Count / (quoteN + 1)), new QuoteBlock { QuoteId = quoteIds[k] });
            var bodyJson = ContentJson.Serialize(body);
            bodyBytes += Encoding.UTF8.GetByteCount(bodyJson);

            var tags = Enumerable.Range(0, r.Next(2, 7)).Select(_ => tagPool[Text.Skewed(r, tagPool.Length, 1.8)]).Distinct().ToArray();
            string? hero = r.Next(10) < 8
                ? ContentJson.Serialize(new HeroImage { Url = $"https://media.example.org/images/{articleId:N}.jpg", Alt = Text.Sentences(r, indonesian, 30).TrimEnd('.'), Caption = Text.Sentences(r, indonesian, 50) })
                : null;

            articles.StartRow();
            articles.Write(articleId, NpgsqlDbType.Uuid);
            articles.Write(slug, NpgsqlDbType.Text);
            articles.Write(Text.Sentences(r, indonesian, 50 + r.Next(40), r.Next(2) == 0 ? main.Name : null).TrimEnd('.'), NpgsqlDbType.Text);
            articles.Write(Text.Sentences(r, indonesian, 120 + r.Next(80)), NpgsqlDbType.Text);
            articles.Write(language, NpgsqlDbType.Text);
            articles.Write(st switch { 1 => "draft", 3 => "archived", _ => "published" }, NpgsqlDbType.Text);
            WriteNullable(articles, publishedAt, NpgsqlDbType.TimestampTz);
            articles.Write(indonesian ? Text.IdSections[r.Next(Text.IdSections.Length)] : Text.EnSections[r.Next(Text.EnSections.Length)], NpgsqlDbType.Text);
            articles.Write(tags, NpgsqlDbType.Array | NpgsqlDbType.Text);
            articles.Write($"{Text.FirstNames[r.Next(Text.FirstNames.Length)]} {Text.LastNames[r.Next(Text.LastNames.Length)]}", NpgsqlDbType.Text);
            WriteNullable<string>(articles, hero, NpgsqlDbType.Jsonb);
            articles.Write(bodyJson, NpgsqlDbType.Jsonb);
            articles.Write(version, NpgsqlDbType.Integer);
            articles.Write(created, NpgsqlDbType.TimestampTz);
            articles.Write(updated, NpgsqlDbType.TimestampTz);

            // Editors' update targets: published articles from the whole range, at their seeded version.
            if (visible && stats.UpdateIds.Count < 20_000 && r.Next(Math.Max(1, n / 20_000)) == 0)
                stats.UpdateIds.Add((articleId, version));
            if ((i + 1) % 100_000 == 0)
                Console.Error.WriteLine($"seed: {i + 1} articles");
        }

        foreach (var imp in new[] { articles, quotes, articlePeople, articleSources, articleQuotes })
        {
            await imp.CompleteAsync();
            await imp.DisposeAsync();
        }
        foreach (var c in conns) await c.DisposeAsync();

        // Search terms: mid-frequency words of both languages and people's names, as a newsroom's readers type them.
        var tr = new Random(seed + 2);
        // Words of rank 100 to 3,000 (log-uniform: each matches roughly 1-10 % of articles), two-word queries (both
        // words must match), and names of people, the most written about more often.
        string Ranked(string[] vocabulary) => vocabulary[(int)Math.Exp(Math.Log(100) + tr.NextDouble() * (Math.Log(3000) - Math.Log(100)))];
        for (var k = 0; k < 50; k++) stats.SearchTerms.Add(Ranked(Text.IdVocabulary));
        for (var k = 0; k < 25; k++) stats.SearchTerms.Add(Ranked(Text.EnVocabulary));
        for (var k = 0; k < 25; k++) stats.SearchTerms.Add(Text.IdWords[tr.Next(Text.IdWords.Length)] + " " + Ranked(Text.IdVocabulary));
        for (var k = 0; k < 100; k++) stats.SearchTerms.Add(people[Text.Skewed(tr, people.Count, 1.6)].Name);

        stats.Published = published; stats.Drafts = drafts; stats.Scheduled = scheduled; stats.Archived = archived;
        stats.Quotes = quoteCount; stats.BodyBytes = bodyBytes;
        return stats;
    }

    private static async Task WriteListsAsync(string dir, Stats s)
    {
        var inv = CultureInfo.InvariantCulture;
        await File.WriteAllLinesAsync(Path.Combine(dir, "seed.env"),
        [
            $"PUBLISHED={s.Published.ToString(inv)}", $"DRAFTS={s.Drafts.ToString(inv)}", $"SCHEDULED={s.Scheduled.ToString(inv)}",
            $"ARCHIVED={s.Archived.ToString(inv)}", $"QUOTES={s.Quotes.ToString(inv)}", $"PEOPLE={(s.People + s.Filler).ToString(inv)}",
            $"SOURCES={SourceCount.ToString(inv)}", $"BODY_BYTES_AVG={(s.BodyBytes / Math.Max(1, s.Published + s.Drafts + s.Scheduled + s.Archived)).ToString(inv)}",
        ]);
        // Speakers with quotes readers can see, most quoted first (up to 5,000).
        var speakers = Enumerable.Range(0, s.PersonIds.Count).Where(i => s.VisibleQuotesBySpeaker[i] > 0)
            .OrderByDescending(i => s.VisibleQuotesBySpeaker[i]).Take(5000).Select(i => s.PersonIds[i].ToString());
        await File.WriteAllLinesAsync(Path.Combine(dir, "speakers.txt"), speakers);
        await File.WriteAllLinesAsync(Path.Combine(dir, "sources.txt"), s.SourceIds.Select(i => i.ToString()));
        await File.WriteAllLinesAsync(Path.Combine(dir, "update-ids.txt"), s.UpdateIds.Select(u => $"{u.Id}\t{u.Version.ToString(inv)}"));
        await File.WriteAllLinesAsync(Path.Combine(dir, "search.txt"), s.SearchTerms.Select(Uri.EscapeDataString));
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter imp, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null) imp.WriteNull();
        else imp.Write(value, type);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter imp, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) imp.Write(v, type);
        else imp.WriteNull();
    }

    /// <summary>A UUID v7 for <paramref name="at"/> whose random bits come from the seeded generator.</summary>
    public static Guid Uuid7(DateTime at, Random r)
    {
        Span<byte> b = stackalloc byte[16];
        r.NextBytes(b);
        var ms = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) b[i] = (byte)(ms >> (8 * (5 - i)));
        b[6] = (byte)(0x70 | (b[6] & 0x0F));
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        return new Guid(b, bigEndian: true);
    }
}
