using ContentApi.Articles;
using ContentApi.Infrastructure;
using Dapper;
using Npgsql;

namespace ContentApi.Quotes;

/// <summary>
/// How people and sources are read: the rows a target statement selects, then for each include one statement over the
/// same rows (their newest 20 quotes, their newest 20 articles), all in one round trip.
/// </summary>
public static class QuoteOwnerReads
{
    public static async Task<List<T>> ReadAsync<TRow, T>(NpgsqlDataSource source, QuoteOwner owner, string target, object args,
        Audience audience, IReadOnlySet<string> include, Func<TRow, T> map, CancellationToken ct) where T : IQuoteOwner<T>
    {
        await using var conn = await source.OpenConnectionAsync(ct);
        using var grid = await conn.QueryMultipleAsync(new CommandDefinition(Batch(owner, target, audience, include), args, cancellationToken: ct));
        var owners = (await grid.ReadAsync<TRow>()).Select(map).ToList();
        if (include.Contains("quotes"))
        {
            var quotes = (await grid.ReadAsync<QuoteRow>()).DistinctBy(q => q.Id).Select(q => q.ToResponse()).ToList();
            owners = owners.Select(o => o.WithQuotes(
                quotes.Where(q => (owner == QuoteOwner.Speaker ? q.SpeakerId : q.SourceId) == o.Id).OrderByDescending(q => q.Id).Take(20).ToList())).ToList();
        }
        if (include.Contains("articles"))
        {
            var articles = (await grid.ReadAsync<ArticleRow>()).DistinctBy(a => a.Id).Select(a => a.ToResponse()).ToList();
            owners = owners.Select(o => o.WithArticles(ArticleRepository.Newest(articles.Where(a => owner == QuoteOwner.Speaker
                ? a.People.Any(x => x.PersonId == o.Id)
                : a.Sources.Any(x => x.SourceId == o.Id))))).ToList();
        }
        return owners;
    }

    private static string Batch(QuoteOwner owner, string target, Audience audience, IReadOnlySet<string> include)
    {
        var sql = target;
        var articleIds = owner == QuoteOwner.Speaker
            ? "select x.article_id from article_people x where x.person_id = t.id"
            : "select x.article_id from article_sources x where x.source_id = t.id";
        if (include.Contains("quotes")) sql += $";\nwith t as ({target}) {QuoteRepository.NewestEmbedSql(audience, owner)}";
        if (include.Contains("articles")) sql += $";\nwith t as ({target}) {ArticleRepository.NewestEmbedSql(audience, articleIds)}";
        return sql;
    }
}
