namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>Rows every lane may refer to: made once, never changed by the lanes.</summary>
public sealed class FuzzWorld
{
    public List<Guid> People { get; } = [];
    public List<string> PeopleSlugs { get; } = [];
    public List<Guid> Sources { get; } = [];
    public List<string> SourceSlugs { get; } = [];
    public List<Guid> Quotes { get; } = [];
    /// <summary>Quotes a reader can see (used by the published article).</summary>
    public List<Guid> PublicQuotes { get; } = [];
    public List<Guid> Articles { get; } = [];
    public List<string> ArticleSlugs { get; } = [];
    public Guid DraftArticle { get; set; }
    public string DraftSlug { get; set; } = "";
    public string ReaderKey { get; set; } = "";
    public string EditorKey { get; set; } = "";
    /// <summary>A real nextCursor per list operation (default sort, no filters).</summary>
    public Dictionary<string, string> Cursors { get; } = [];
    public string SyncToken { get; set; } = "";
    /// <summary>A webhook subscription and one delivery of it (a ping), for the webhook routes' paths.</summary>
    public Guid Webhook { get; set; }
    public Guid Delivery { get; set; }
}
