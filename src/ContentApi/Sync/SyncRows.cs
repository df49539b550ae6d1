using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Quotes;
using Npgsql;

namespace ContentApi.Sync;

/// <summary>
/// A page's article and quote rows read with typed getters, the article body as the UTF-8 bytes PostgreSQL sent. Dapper's
/// mapping reads every column as a boxed object (arrays through Npgsql's object path), and the body became a string only
/// for <see cref="BodyCopier"/> to encode it back to UTF-8. The values are those Dapper maps; a result whose columns
/// are not exactly the ones named here (a column added to the shared statements) is read through Dapper as before.
/// </summary>
public static class SyncRows
{
    private static readonly string[] ArticleColumns =
    [
        "id", "slug", "title", "summary", "language", "status", "published_at", "section", "tags", "byline", "hero_image", "body",
        "corrections", "person_ids", "person_roles", "source_ids", "source_relations", "quote_ids", "version", "created_at", "updated_at",
    ];

    private static readonly string[] QuoteColumns =
    [
        "id", "text", "language", "type", "speaker_id", "speaker_role", "said_on", "occasion", "source_id", "source_url",
        "translation_of_id", "version", "created_at", "updated_at", "article_ids",
    ];

    /// <summary>One result set of articles, each with its body's bytes (none when read the Dapper way), then on to the next set.</summary>
    public static async Task<List<SyncArticle>> ArticlesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (Ordinals(reader, ArticleColumns) is not { } o)
            return [.. (await Database.ReadSetAsync<ArticleRow>(reader, ct)).Select(r => new SyncArticle(r))];
        var list = new List<SyncArticle>();
        while (await reader.ReadAsync(ct))
        {
            var row = new ArticleRow
            {
                Id = reader.GetGuid(o[0]),
                Slug = reader.GetString(o[1]),
                Title = reader.GetString(o[2]),
                Summary = NullableString(reader, o[3]),
                Language = reader.GetString(o[4]),
                Status = reader.GetString(o[5]),
                PublishedAt = reader.IsDBNull(o[6]) ? null : reader.GetDateTime(o[6]),
                Section = NullableString(reader, o[7]),
                Tags = reader.GetFieldValue<string[]>(o[8]),
                Byline = NullableString(reader, o[9]),
                HeroImage = NullableString(reader, o[10]),
                Body = "",
                Corrections = reader.GetString(o[12]),
                PersonIds = reader.GetFieldValue<Guid[]>(o[13]),
                PersonRoles = reader.GetFieldValue<string[]>(o[14]),
                SourceIds = reader.GetFieldValue<Guid[]>(o[15]),
                SourceRelations = reader.GetFieldValue<string[]>(o[16]),
                QuoteIds = reader.GetFieldValue<Guid[]>(o[17]),
                Version = reader.GetInt32(o[18]),
                CreatedAt = reader.GetDateTime(o[19]),
                UpdatedAt = reader.GetDateTime(o[20]),
            };
            list.Add(new SyncArticle(row) { Utf8Body = reader.GetFieldValue<byte[]>(o[11]) });
        }
        await reader.NextResultAsync(ct);
        return list;
    }

    /// <summary>One result set of quotes, then on to the next set.</summary>
    public static async Task<List<QuoteRow>> QuotesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (Ordinals(reader, QuoteColumns) is not { } o)
            return [.. await Database.ReadSetAsync<QuoteRow>(reader, ct)];
        var list = new List<QuoteRow>();
        while (await reader.ReadAsync(ct))
            list.Add(new QuoteRow
            {
                Id = reader.GetGuid(o[0]),
                Text = reader.GetString(o[1]),
                Language = reader.GetString(o[2]),
                Type = reader.GetString(o[3]),
                SpeakerId = reader.GetGuid(o[4]),
                SpeakerRole = NullableString(reader, o[5]),
                SaidOn = reader.IsDBNull(o[6]) ? null : reader.GetFieldValue<DateOnly>(o[6]),
                Occasion = NullableString(reader, o[7]),
                SourceId = reader.IsDBNull(o[8]) ? null : reader.GetGuid(o[8]),
                SourceUrl = NullableString(reader, o[9]),
                TranslationOfId = reader.IsDBNull(o[10]) ? null : reader.GetGuid(o[10]),
                Version = reader.GetInt32(o[11]),
                CreatedAt = reader.GetDateTime(o[12]),
                UpdatedAt = reader.GetDateTime(o[13]),
                ArticleIds = reader.GetFieldValue<Guid[]>(o[14]),
            });
        await reader.NextResultAsync(ct);
        return list;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Each named column's ordinal, or null unless the result has exactly these columns.</summary>
    private static int[]? Ordinals(NpgsqlDataReader reader, string[] columns)
    {
        if (reader.FieldCount != columns.Length) return null;
        var ordinals = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            ordinals[i] = -1;
            for (var k = 0; k < reader.FieldCount; k++)
                if (reader.GetName(k) == columns[i]) ordinals[i] = k;
            if (ordinals[i] < 0) return null;
        }
        return ordinals;
    }
}
