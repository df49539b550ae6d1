using ContentApi.Articles;
using ContentApi.Infrastructure;

namespace ContentApi.Quotes;

/// <summary>A person or a source as what quotes and articles are embedded in (include=quotes,articles).</summary>
public interface IQuoteOwner<TSelf> : IVersioned where TSelf : IQuoteOwner<TSelf>
{
    TSelf WithQuotes(IReadOnlyList<QuoteResponse> quotes);
    TSelf WithArticles(IReadOnlyList<ArticleResponse> articles);
}
