using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using Dapper;
using Npgsql;

namespace ContentApi.Articles;

// The one-round-trip batches that read articles with their includes, and their assembly into responses.
public sealed partial class ArticleRepository
{
    /// <summary>
    /// Runs a <see cref="BatchSql"/> batch (the target and one statement per include over the same rows): a single
    /// round trip whatever the page size.
    /// </summary>
    private static async Task<List<ArticleResponse>> ReadAsync(NpgsqlConnection conn, string sql, object args,
        ArticleIncludes include, CancellationToken ct, List<ArticleRow>? rowsOut = null)
    {
        using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        return await AssembleAsync(include, () => grid.ReadAsync<ArticleRow>(), () => grid.ReadAsync<QuoteRow>(),
            () => grid.ReadAsync<PersonRow>(), () => grid.ReadAsync<SourceRow>(), rowsOut);
    }

    /// <summary>Reads a batch's result sets in order (articles, then each include asked for) and embeds the includes.</summary>
    private static async Task<List<ArticleResponse>> AssembleAsync(ArticleIncludes include,
        Func<Task<IEnumerable<ArticleRow>>> readArticles, Func<Task<IEnumerable<QuoteRow>>> readQuotes,
        Func<Task<IEnumerable<PersonRow>>> readPeople, Func<Task<IEnumerable<SourceRow>>> readSources, List<ArticleRow>? rowsOut = null)
    {
        var (quotes, speakers, quoteSources, people, sources) =
            (include.Quotes, include.QuoteSpeakers, include.QuoteSources, include.ReadsPeople, include.ReadsSources);

        var rows = (await readArticles()).ToList();
        rowsOut?.AddRange(rows);
        var quoteById = quotes ? (await readQuotes()).ToDictionary(q => q.Id, q => q.ToResponse()) : [];
        var personById = people ? (await readPeople()).ToDictionary(p => p.Id, p => p.ToResponse()) : [];
        var sourceById = sources ? (await readSources()).ToDictionary(s => s.Id, s => s.ToResponse()) : [];

        return rows.Select(row =>
        {
            var a = row.ToResponse();
            if (!include.Any) return a;
            return a with
            {
                Quotes = quotes
                    ? a.QuoteIds.Where(quoteById.ContainsKey).Select(id => quoteById[id] with
                    {
                        Speaker = speakers ? personById.GetValueOrDefault(quoteById[id].SpeakerId) : null,
                        Source = quoteSources && quoteById[id].SourceId is { } sid ? sourceById.GetValueOrDefault(sid) : null,
                    }).ToList()
                    : null,
                People = include.People ? a.People.Select(p => p with { Person = personById.GetValueOrDefault(p.PersonId) }).ToList() : a.People,
                Sources = include.Sources ? a.Sources.Select(s => s with { Source = sourceById.GetValueOrDefault(s.SourceId) }).ToList() : a.Sources,
            };
        }).ToList();
    }

    /// <summary>
    /// <paramref name="target"/> and one statement per include over the same rows, <c>;</c>-separated. The includes
    /// select the target's ids only (t): with all its columns t was materialized, body and link arrays included.
    /// </summary>
    private static string BatchSql(string target, Audience audience, ArticleIncludes include)
    {
        var ids = "select a.id " + target[target.IndexOf("from articles a", StringComparison.Ordinal)..];
        var (quotes, speakers, quoteSources, people, sources) =
            (include.Quotes, include.QuoteSpeakers, include.QuoteSources, include.ReadsPeople, include.ReadsSources);
        const string QuotesOfT = "select aq.quote_id from article_quotes aq where aq.article_id in (select id from t)";

        var sql = target;
        if (quotes)
            sql += $";\nwith t as ({ids}) {QuoteRepository.EmbedSql(audience, QuotesOfT, visible: true)}";
        // One id list (union), not "in (...) or in (...)": the OR made PostgreSQL scan all of people and sources.
        string Union(params string?[] parts) => string.Join(" union ", parts.Where(x => x is not null));
        if (people)
            sql += $";\nwith t as ({ids}) " + PersonRepository.EmbedSql(Union(
                       include.People ? "select x.person_id from article_people x where x.article_id in (select id from t)" : null,
                       speakers ? $"select q.speaker_id from quotes q where q.id in ({QuotesOfT})" : null));
        if (sources)
            sql += $";\nwith t as ({ids}) " + SourceRepository.EmbedSql(Union(
                       include.Sources ? "select x.source_id from article_sources x where x.article_id in (select id from t)" : null,
                       quoteSources ? $"select q.source_id from quotes q where q.id in ({QuotesOfT})" : null));

        return sql;
    }
}
