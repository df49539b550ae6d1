using System.Text.Json.Serialization;
using ContentApi.Articles;

namespace ContentApi.Sync;

/// <summary>
/// An article of the sync feed as its row: written exactly as <see cref="ArticleRow.ToResponse"/> would be, by
/// <see cref="SyncArticleConverter"/>, without parsing the body into blocks only to write them out again.
/// </summary>
[JsonConverter(typeof(SyncArticleConverter))]
public sealed record SyncArticle(ArticleRow Row);
