using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Revisions;

public static class RevisionServices
{
    public static IServiceCollection AddRevisions(this IServiceCollection services)
    {
        services.AddOptions<RevisionOptions>().BindConfiguration("Revisions").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RevisionRepository>();
        services.AddHostedService<RevisionPruner>();
        services.AddSingleton(sp =>
        {
            var articles = sp.GetRequiredService<ArticleRepository>();
            return new RevisionTarget<ArticleRequest, ArticleResponse>("articles", ArticleRepository.Entity, "Article", a => a.ToRequest(),
                async (id, r, v, actor, ct) => ((await articles.UpdateAsync(id, r, v, actor, ct)).Article, null),
                articles.InsertAsync, articles.VersionAsync);
        });
        services.AddSingleton(sp =>
        {
            var quotes = sp.GetRequiredService<QuoteRepository>();
            return new RevisionTarget<QuoteRequest, QuoteResponse>("quotes", QuoteRepository.Entity, "Quote", q => q.ToRequest(),
                async (id, r, v, actor, ct) =>
                {
                    var (quote, shownBy, _) = await quotes.UpdateAsync(id, r, v, actor, ct);
                    return (quote, shownBy.Length == 0 ? null : ShownBy(shownBy));
                },
                quotes.InsertAsync, quotes.VersionAsync);
        });
        services.AddSingleton(sp =>
        {
            var people = sp.GetRequiredService<PersonRepository>();
            return new RevisionTarget<PersonRequest, PersonResponse>("people", PersonRepository.Entity, "Person", p => p.ToRequest(),
                async (id, r, v, actor, ct) => (await people.UpdateAsync(id, r, v, actor, ct), null),
                people.InsertAsync, people.VersionAsync);
        });
        services.AddSingleton(sp =>
        {
            var sources = sp.GetRequiredService<SourceRepository>();
            return new RevisionTarget<SourceRequest, SourceResponse>("sources", SourceRepository.Entity, "Source", s => s.ToRequest(),
                async (id, r, v, actor, ct) => (await sources.UpdateAsync(id, r, v, actor, ct), null),
                sources.InsertAsync, sources.VersionAsync);
        });
        return services;
    }

    private static ProblemHttpResult ShownBy(Guid[] articles) =>
        Problems.Validation("articleIds",
            $"Articles {string.Join(", ", articles)} show this quote in their body; the restored version would unlink it.", 422);
}
