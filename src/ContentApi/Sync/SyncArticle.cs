using System.Text.Json.Serialization;
using ContentApi.Articles;

namespace ContentApi.Sync;

/// <summary>
/// An article of the sync feed as its row: written exactly as <see cref="ArticleRow.ToResponse"/> would be, by
/// <see cref="SyncArticleConverter"/>, without parsing the body into blocks only to write them out again.
/// </summary>
[JsonConverter(typeof(SyncArticleConverter))]
public sealed record SyncArticle(ArticleRow Row)
{
    /// <summary>The stored body as PostgreSQL sent it (UTF-8), read in place of <see cref="ArticleRow.Body"/>; null: the row's body.</summary>
    public byte[]? Utf8Body { get; init; }
}
