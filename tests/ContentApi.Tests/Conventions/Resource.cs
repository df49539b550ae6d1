using System.Text.Json.Nodes;

namespace ContentApi.Tests.Conventions;

/// <summary>
/// One of the four content resources, as the rules every resource shares need it: its path, how to make one, a full
/// replacement body and a merge patch that changes one field, and the names each resource's own vocabulary lacks.
/// Theories take <see cref="All"/> (or <see cref="Slugged"/>) as member data.
/// </summary>
public sealed record Resource(string Name, string Path, string PatchField)
{
    public static readonly Resource Articles = new("articles", "/v1/articles", "title")
    {
        KeptField = "title", Touch = ("section", "Dunia"), UnknownBodyField = "author", UnknownQuery = ("author", "tim"),
        UnknownListInclude = "comments", UnknownItemInclude = "quotes,quotes.article", Fields = ["slug", "title"], UnknownField = "wordCount",
        MalformedJson = "{\"slug\": \"a\", \"body\": [",
    };

    public static readonly Resource Quotes = new("quotes", "/v1/quotes", "occasion")
    {
        HasSlug = false, KeptField = "text", Touch = ("occasion", "versi dua"), UnknownBodyField = "speaker", UnknownQuery = ("speaker", "jake-sullivan"),
        UnknownListInclude = "people", UnknownItemInclude = "speaker,translations", Fields = ["speakerId", "text"], UnknownField = "mood",
        MalformedJson = "{\"text\": \"unterminated",
    };

    public static readonly Resource People = new("people", "/v1/people", "name")
    {
        KeptField = "name", Touch = ("title", "Versi dua"), UnknownBodyField = "nickname", UnknownQuery = ("name", "Jake"),
        UnknownListInclude = "speeches", UnknownItemInclude = "quotes,speeches", Fields = ["name", "slug"], UnknownField = "shoeSize",
        MalformedJson = "{\"slug\": \"abc\", \"name\": ",
    };

    public static readonly Resource Sources = new("sources", "/v1/sources", "name")
    {
        KeptField = "name", Touch = ("country", "FR"), UnknownBodyField = "language", UnknownQuery = ("country", "GB"),
        UnknownListInclude = "people", UnknownItemInclude = "people", Fields = ["name", "slug"], UnknownField = "circulation",
        MalformedJson = "{\"slug\": \"x\",}",
    };

    public static readonly string[] Names = [Articles.Name, Quotes.Name, People.Name, Sources.Name];

    public static TheoryData<string> All => new(Names);

    /// <summary>The resources addressable by slug (quotes have none).</summary>
    public static TheoryData<string> Slugged => new(Names.Where(n => Named(n).HasSlug));

    public static Resource Named(string name) => new[] { Articles, Quotes, People, Sources }.Single(r => r.Name == name);

    /// <summary>Whether it has a unique slug that also addresses it.</summary>
    public bool HasSlug { get; init; } = true;

    /// <summary>A field every body sets and the "changes nothing" checks compare.</summary>
    public string KeptField { get; init; } = "";

    /// <summary>A field and value that a first edit sets, to make version 2.</summary>
    public (string Field, string Value) Touch { get; init; }

    /// <summary>A body property the resource does not have.</summary>
    public string UnknownBodyField { get; init; } = "";

    /// <summary>A query parameter its list does not take.</summary>
    public (string Name, string Value) UnknownQuery { get; init; }

    public string UnknownListInclude { get; init; } = "";
    public string UnknownItemInclude { get; init; } = "";

    /// <summary>Two of its fields for <c>fields=</c>, in ordinal order.</summary>
    public string[] Fields { get; init; } = [];

    public string UnknownField { get; init; } = "";

    /// <summary>A request body cut off or broken the way a client might send it.</summary>
    public string MalformedJson { get; init; } = "";

    public async Task<JsonObject> CreateAsync(HttpClient admin) => Name switch
    {
        "articles" => await admin.CreateArticle(TestData.Article()),
        "quotes" => await admin.CreateQuote((await admin.CreatePerson()).Id()),
        "people" => await admin.CreatePerson(),
        _ => await admin.CreateSource(),
    };

    /// <summary>One that readers see too: articles published, quotes in a published article.</summary>
    public async Task<JsonObject> CreateReadableAsync(HttpClient admin)
    {
        if (Name == "articles")
            return await admin.CreatePublishedArticle();
        var created = await CreateAsync(admin);
        if (Name == "quotes")
            await admin.CreatePublishedArticle([created.Id()]);
        return created;
    }

    /// <summary>A valid POST body (a new speaker for quotes), with <see cref="KeptField"/> set to <paramref name="kept"/> when given.</summary>
    public async Task<object> BodyAsync(HttpClient admin, string? slug = null, string? kept = null) => Name switch
    {
        "articles" => TestData.Article(slug, title: kept ?? "Korea Utara mendukung Rusia"),
        "quotes" => new { text = kept ?? "Mereka akan menanggung konsekuensinya", language = "id", type = "direct", speakerId = (await admin.CreatePerson()).Id() },
        "people" => new { slug = slug ?? TestData.Slug("person"), name = kept ?? "Jake Sullivan", aliases = new[] { "Sullivan" } },
        _ => new { slug = slug ?? TestData.Slug("source"), name = kept ?? "Reuters", kind = "agency", url = "https://www.reuters.com", country = "GB" },
    };

    /// <summary>A valid PUT body for <paramref name="current"/>, with <see cref="PatchField"/> set to <paramref name="value"/>.</summary>
    public object Replacement(JsonObject current, string value, string? slug = null) => Name switch
    {
        "articles" => new { slug = slug ?? (string)current["slug"]!, title = value, language = "id", status = "draft" },
        "quotes" => new { text = (string)current["text"]!, language = "id", type = "direct", speakerId = (string)current["speakerId"]!, occasion = value },
        "people" => new { slug = slug ?? (string)current["slug"]!, name = value },
        _ => new { slug = slug ?? (string)current["slug"]!, name = value, kind = "agency" },
    };

    public object Patch(string value) => new Dictionary<string, string> { [PatchField] = value };

    /// <summary>A list of its own: rows made with <see cref="CreateInAsync"/> are the only ones <see cref="Query"/> finds.</summary>
    public async Task<Scope> ScopeAsync(HttpClient admin) =>
        new(TestData.Token("scope"), Name == "quotes" ? (await admin.CreatePerson()).Id() : null);

    public string ListUrl(Scope scope, string more = "") => Name switch
    {
        "articles" => $"{Path}?tag={scope.Token}{more}",
        "quotes" => $"{Path}?speakerId={scope.SpeakerId}{more}",
        _ => $"{Path}?q={scope.Token}{more}",
    };

    /// <summary>Creates one row in <paramref name="scope"/>; <paramref name="label"/> orders it where the list sorts by name.</summary>
    public Task<JsonObject> CreateInAsync(HttpClient admin, Scope scope, string label) => Name switch
    {
        "articles" => admin.CreateArticle(TestData.Article(tags: [scope.Token], title: $"{scope.Token} {label}")),
        "quotes" => admin.CreateQuote(scope.SpeakerId!.Value, text: $"Kutipan {label}"),
        "people" => admin.PostOk(Path, new { slug = TestData.Slug("person"), name = $"{scope.Token} {label}", aliases = Array.Empty<string>() }),
        _ => admin.CreateSourceNamed($"{scope.Token} {label}"),
    };

    public override string ToString() => Name;

    public sealed record Scope(string Token, Guid? SpeakerId);
}
