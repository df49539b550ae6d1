namespace ContentApi.Articles;

/// <summary>A reader's article as the exact bytes of its JSON answer (an <see cref="ArticleResponse"/>), built by PostgreSQL.</summary>
public sealed record ArticleDocument(Guid Id, int Version, DateTime UpdatedAt, byte[] Utf8Json);
