// What a C# client team does with a Kiota client generated from openapi/v1.json, against a live API:
// reads the sample story with includes, pages quotes, syncs to the end into a local store (upserts and tombstones),
// creates, patches (clearing a field) and deletes a quote with If-Match, and reads 404/412/422 as typed problems.
// Exits non-zero on the first thing that does not behave as the document says.
using System.Text;
using ContentApi.Client;
using ContentApi.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

var url = Environment.GetEnvironmentVariable("CONTENTAPI_URL") ?? throw new InvalidOperationException("CONTENTAPI_URL is not set.");
var adminKey = Environment.GetEnvironmentVariable("CONTENTAPI_ADMIN_KEY") ?? throw new InvalidOperationException("CONTENTAPI_ADMIN_KEY is not set.");
const string StorySlug = "as-wanti-wanti-korut-soal-senjata-untuk-rusia";

// Kiota's API-key provider sends keys over https only; this check talks to a loopback http API, so the key rides on
// the HttpClient. The document's servers entry is "/", relative to where it was served: the base URL is the API's own.
var http = KiotaClientFactory.Create();
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = url };
var client = new ContentApiClient(adapter);
var checks = 0;
void Check(bool ok, string what)
{
    if (!ok) throw new InvalidOperationException("FAILED: " + what);
    checks++;
    Console.WriteLine("ok: " + what);
}

// 1. The sample story with its quotes and their speakers embedded.
var story = (await client.V1.Articles[StorySlug].GetAsync(r => r.QueryParameters.Include = "quotes.speaker"))?.ArticleResponse;
Check(story is { Slug: StorySlug }, "the sample story reads by slug");
Check(story!.QuoteIds is { Count: > 0 } && story.Quotes?.Count == story.QuoteIds.Count, $"the story embeds its {story.QuoteIds?.Count} quotes");
Check(story.Quotes!.All(quote => quote.Speaker?.Id == quote.SpeakerId), "each embedded quote embeds its speaker");
Check(story.Body!.OfType<QuoteBlock>().All(b => story.QuoteIds.Contains(b.QuoteId)), "quote blocks point at the story's quotes");
Check(story.Body is { Count: > 0 } && story.Body.All(b => b is ParagraphBlock or HeadingBlock or QuoteBlock or ImageBlock or EmbedBlock),
    "every body block comes back as its typed block");

// 2. Every quote, page by page.
var seen = new HashSet<Guid>();
string? cursor = null;
var pages = 0;
do
{
    var page = (await client.V1.Quotes.GetAsync(r => { r.QueryParameters.Limit = 2; r.QueryParameters.Cursor = cursor; }))!.QuoteResponsePage!;
    pages++;
    foreach (var quote in page.Items!) Check(seen.Add(quote.Id!.Value), $"quote {quote.Id} appears once across pages");
    cursor = page.NextCursor;
} while (cursor is not null && pages < 100);
Check(cursor is null && seen.Count >= story.QuoteIds!.Count, $"{seen.Count} quotes in {pages} pages of 2");

// 3. Sync to the end into a local store, applying upserts and tombstones.
// Typed data: each item is the subclass its type names (SyncItemArticle.Data is an ArticleResponse), no re-parsing.
var store = new Dictionary<(SyncItem_type, Guid), IParsable>();
async Task<string?> SyncAsync(string? since)
{
    for (var round = 0; round < 1000; round++)
    {
        var feed = (await client.V1.Sync.GetAsync(r => { r.QueryParameters.Since = since; r.QueryParameters.Limit = 5; }))!.SyncPage!;
        foreach (var item in feed.Items!)
        {
            var key = (item.Type!.Value, item.Id!.Value);
            IParsable? data = item switch
            {
                SyncItemArticle a => a.Data,
                SyncItemQuote q => q.Data,
                SyncItemPerson p => p.Data,
                SyncItemSource s => s.Data,
                _ => throw new InvalidOperationException($"sync item {item.Type} came back untyped"),
            };
            if (item.Op == SyncOp.Delete)
            {
                Check(data is null, $"the tombstone of {key} carries no data");
                store.Remove(key);
            }
            else store[key] = data ?? throw new InvalidOperationException($"upsert of {key} without data");
        }
        since = feed.NextToken;
        if (feed.HasMore != true) return since;
    }
    throw new InvalidOperationException("sync did not reach the end in 1000 rounds");
}
var token = await SyncAsync(null);
Check(store.TryGetValue((SyncItem_type.Article, story.Id!.Value), out var synced) && synced is ArticleResponse { Slug: StorySlug }
    && seen.All(id => store.ContainsKey((SyncItem_type.Quote, id))), $"sync holds the story (typed) and its quotes ({store.Count} entities)");

// 4. Create, patch (clearing a field), delete a quote with If-Match; problems are typed.
var speaker = story.People![0].PersonId!.Value;
var created = await client.V1.Quotes.PostAsync(new QuoteRequest
{
    Text = "Kami akan terus memantau situasi ini.",
    Language = "id",
    Type = QuoteType.Direct,
    SpeakerId = speaker,
    Occasion = "Jumpa pers",
    ArticleIds = [],
});
Check(created is { Version: 1, Occasion: "Jumpa pers" }, "POST /v1/quotes creates version 1");
var id = created!.Id!.Value;
string ETag(int? version) => $"\"{version}\"";

// Kiota's typed models skip null properties when serialising, so a merge patch that clears a field is written as
// JSON here and sent through the same generated request (its URL, headers and typed problems).
var patch = client.V1.Quotes[id].ToPatchRequestInformation(new QuotePatch(), r => r.Headers.Add("If-Match", ETag(created.Version)));
patch.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"occasion":null,"speakerRole":"Juru bicara"}""")), "application/merge-patch+json");
var errors = new Dictionary<string, ParsableFactory<IParsable>> { ["4XX"] = Problem.CreateFromDiscriminatorValue, ["5XX"] = Problem.CreateFromDiscriminatorValue };
var patched = await adapter.SendAsync(patch, QuoteResponse.CreateFromDiscriminatorValue, errors);
Check(patched is { Version: 2, Occasion: null, SpeakerRole: "Juru bicara" }, "PATCH clears occasion and sets speakerRole (version 2)");

try
{
    await client.V1.Quotes[id].PatchAsync(new QuotePatch { Text = "Basi." }, r => r.Headers.Add("If-Match", ETag(1)));
    Check(false, "a stale If-Match is refused");
}
catch (Problem p) { Check(p.ResponseStatusCode == 412 && p.Code == Problem_code.Version_mismatch && p.CurrentVersion == 2, "a stale If-Match is a typed 412 version_mismatch with currentVersion 2"); }

try
{
    await client.V1.Quotes.PostAsync(new QuoteRequest { Text = "Siapa?", Language = "id", Type = QuoteType.Direct, SpeakerId = Guid.NewGuid(), ArticleIds = [] });
    Check(false, "a quote by an unknown speaker is refused");
}
catch (Problem p) { Check(p.ResponseStatusCode == 422 && p.Errors?.AdditionalData.ContainsKey("speakerId") == true, "an unknown speaker is a typed 422 naming speakerId"); }

await client.V1.Quotes[id].DeleteAsync(r => r.Headers.Add("If-Match", ETag(patched!.Version)));
try
{
    await client.V1.Quotes[id].GetAsync();
    Check(false, "the deleted quote is gone");
}
catch (Problem p) { Check(p.ResponseStatusCode == 404 && p.Code == Problem_code.Not_found, "the deleted quote is a typed 404 not_found"); }

// The sync feed from where this client stopped: the quote came and went, so it ends as a tombstone.
await SyncAsync(token);
Check(!store.ContainsKey((SyncItem_type.Quote, id)), "sync applied the tombstone of the deleted quote");
Console.WriteLine($"kiota client: {checks} checks passed");
