using System.Text.Json.Nodes;

namespace ContentApi.Tests.Conventions;

/// <summary>
/// One of the four content resources, as the rules every resource shares need it: its path, how to make one, a full
/// replacement body and a merge patch that changes one field. Theories take <see cref="All"/> as member data.
/// </summary>
public sealed record Resource(string Name, string Path, string PatchField)
{
    public static readonly Resource Articles = new("articles", "/v1/articles", "title");
    public static readonly Resource Quotes = new("quotes", "/v1/quotes", "occasion");
    public static readonly Resource People = new("people", "/v1/people", "name");
    public static readonly Resource Sources = new("sources", "/v1/sources", "name");

    public static readonly string[] Names = [Articles.Name, Quotes.Name, People.Name, Sources.Name];

    public static TheoryData<string> All => new(Names);

    public static Resource Named(string name) => new[] { Articles, Quotes, People, Sources }.Single(r => r.Name == name);

    public async Task<JsonObject> CreateAsync(HttpClient admin) => Name switch
    {
        "articles" => await admin.CreateArticle(TestData.Article()),
        "quotes" => await admin.CreateQuote((await admin.CreatePerson()).Id()),
        "people" => await admin.CreatePerson(),
        _ => await admin.CreateSource(),
    };

    /// <summary>A valid PUT body for <paramref name="current"/>, with <see cref="PatchField"/> set to <paramref name="value"/>.</summary>
    public object Replacement(JsonObject current, string value) => Name switch
    {
        "articles" => new { slug = (string)current["slug"]!, title = value, language = "id", status = "draft" },
        "quotes" => new { text = (string)current["text"]!, language = "id", type = "direct", speakerId = (string)current["speakerId"]!, occasion = value },
        "people" => new { slug = (string)current["slug"]!, name = value },
        _ => new { slug = (string)current["slug"]!, name = value, kind = "agency" },
    };

    public object Patch(string value) => new Dictionary<string, string> { [PatchField] = value };

    public override string ToString() => Name;
}
