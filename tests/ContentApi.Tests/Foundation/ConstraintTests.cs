using Npgsql;

namespace ContentApi.Tests.Foundation;

/// <summary>The schema itself refuses bad rows, whatever client writes them.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConstraintTests(ContentApiFactory factory)
{
    private async Task<PostgresException> Refused(string sql, params (string, object)[] args)
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
    }

    private async Task<Guid> InsertPerson()
    {
        var id = Guid.CreateVersion7();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("insert into people (id, slug, name) values (@id, @slug, 'X')", conn);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("slug", TestData.Slug("p"));
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    [Theory]
    [InlineData("Bad Slug")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("")]
    public async Task BadSlug_IsRefused(string slug)
    {
        var e = await Refused("insert into sources (id, slug, name, kind) values (@id, @slug, 'S', 'agency')",
            ("id", Guid.CreateVersion7()), ("slug", slug));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task UnknownStatus_IsRefused()
    {
        var e = await Refused("insert into articles (id, slug, title, language, status) values (@id, @slug, 'T', 'id', 'pending')",
            ("id", Guid.CreateVersion7()), ("slug", TestData.Slug("a")));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task UnknownSourceKind_IsRefused()
    {
        var e = await Refused("insert into sources (id, slug, name, kind) values (@id, @slug, 'S', 'blog')",
            ("id", Guid.CreateVersion7()), ("slug", TestData.Slug("s")));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task QuoteWithMissingSpeaker_IsRefused()
    {
        var e = await Refused("insert into quotes (id, text, language, type, speaker_id) values (@id, 'x', 'id', 'direct', @speaker)",
            ("id", Guid.CreateVersion7()), ("speaker", Guid.CreateVersion7()));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
    }

    [Fact]
    public async Task DeletingAQuotedSpeaker_IsRefused_AndTheQuoteStays()
    {
        var speaker = await InsertPerson();
        var quote = Guid.CreateVersion7();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("insert into quotes (id, text, language, type, speaker_id) values (@id, 'x', 'id', 'direct', @speaker)", conn))
        {
            cmd.Parameters.AddWithValue("id", quote);
            cmd.Parameters.AddWithValue("speaker", speaker);
            await cmd.ExecuteNonQueryAsync();
        }
        var e = await Refused("delete from people where id = @id", ("id", speaker));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        // The quote and its speaker are still there, still linked.
        await using var check = new NpgsqlCommand("select count(*) from quotes q join people p on p.id = q.speaker_id where q.id = @quote and p.id = @speaker", conn);
        check.Parameters.AddWithValue("quote", quote);
        check.Parameters.AddWithValue("speaker", speaker);
        Assert.Equal(1L, (long)(await check.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task PublishedArticleWithoutDate_IsRefused()
    {
        var e = await Refused("insert into articles (id, slug, title, language, status) values (@id, @slug, 'T', 'id', 'published')",
            ("id", Guid.CreateVersion7()), ("slug", TestData.Slug("a")));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }
}
