using ContentApi.Delivery;
using ContentApi.Infrastructure;

namespace ContentApi.Articles;

/// <summary>A reader's article as the exact bytes of its JSON answer (an <see cref="ArticleResponse"/>), with what its headers need.</summary>
public sealed record ArticleDocument(Guid Id, int Version, DateTime UpdatedAt, byte[] Utf8Json) : IVersioned, IPreserializedJson
{
    public Type Contract => typeof(ArticleResponse);
}
