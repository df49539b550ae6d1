using System.Security.Claims;
using ContentApi.Auth;
using ContentApi.Infrastructure;
using ContentApi.Search;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Quotes;

public static class QuoteEndpoints
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string> { "speaker", "source", "articles" };

    public static RouteGroupBuilder MapQuotes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/quotes").WithTags("Quotes").WithResourceConventions();
        var reads = group.MapReads();
        var writes = group.MapWrites();

        reads.MapGet("/", List).WithName("ListQuotes").WithSummary("List quotes")
            .WithDescription($"Newest first; with q, the newest {RankedWindow.Size} matching quotes ranked by full-text relevance in each quote's own language (narrow them with the other filters).")
            .WithValidation<ListQuotesQuery>();
        reads.MapGet("/{id:guid}", Get).WithName("GetQuote").WithSummary("Get a quote")
            .WithDescription("include=speaker,source,articles embeds them.");
        writes.MapPost("/", Create).WithName("CreateQuote").WithSummary("Create a quote")
            .WithValidation<QuoteRequest>().WithIdempotency<QuoteRequest>();
        writes.MapPut("/{id:guid}", Replace).WithName("ReplaceQuote").WithSummary("Replace a quote")
            .WithValidation<QuoteRequest>().WithDescription(CorrectionNote);
        writes.MapPatch("/{id:guid}", Patch).WithName("PatchQuote").WithSummary("Change a quote with a JSON Merge Patch")
            .Accepts<QuoteRequest>(MergePatch.MediaType).WithDescription(CorrectionNote);
        writes.MapDelete("/{id:guid}", Delete).WithName("DeleteQuote").WithSummary("Delete a quote")
            .WithDescription("Refused with 409 in_use while an article uses the quote or a translation points at it.");
        return group;
    }

    private const string CorrectionNote =
        "With correction, the change publishes a correction notice on every article readers can see now that uses the quote, in the same " +
        "transaction: each gets it appended to its corrections and a new version. When no such article uses the quote it answers 422 naming " +
        "correction and nothing is written.";

    public static async Task<Results<Ok<Page<QuoteResponse>>, ProblemHttpResult>> List(
        [AsParameters] ListQuotesQuery query, QuoteRepository quotes, CursorCodec cursors, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(query.Include, Allowed, out var include, out var error))
            return Problems.Validation("include", error!);
        var q = query.Q?.Trim();
        if (!cursors.TryRead(query.Cursor, QuoteRepository.ListName(q is not null), q is not null ? CursorKey.Rank : CursorKey.None, out var after))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        var filter = new QuoteFilter(query.SpeakerId, query.SourceId, query.ArticleId, query.Language, q, query.SaidAfter, query.SaidBefore);
        var (items, next) = await quotes.ListAsync(filter, after, query.Limit ?? Limits.DefaultPageSize, user.Audience(), include, ct);
        return TypedResults.Ok(new Page<QuoteResponse>(items, next is null ? null : cursors.Encode(next)));
    }

    public static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Get(
        Guid id, string? include, QuoteRepository quotes, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Includes.TryParse(include, Allowed, out var includes, out var error))
            return Problems.Validation("include", error!);
        var quote = await quotes.GetAsync(id, user.Audience(), includes, ct);
        return quote is null ? Problems.NotFound("quote", id.ToString()) : TypedResults.Ok(quote);
    }

    public static async Task<Results<CreatedAtRoute<QuoteResponse>, ProblemHttpResult>> Create(
        QuoteRequest request, QuoteRepository quotes, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Correction is not null)
            return NotCorrectable("A new quote has nothing published to correct; send correction when changing a quote a published article uses.");
        var created = await quotes.CreateAsync(request, user.Actor(), ct);
        return TypedResults.CreatedAtRoute(created, "GetQuote", new { id = created.Id });
    }

    public static Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Replace(
        Guid id, QuoteRequest request, IfMatch ifMatch, QuoteRepository quotes, ClaimsPrincipal user, CancellationToken ct) =>
        Save(id, request, ifMatch.Version, quotes, user, ct);

    public static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Patch(
        Guid id, MergePatch patch, IfMatch ifMatch, QuoteRepository quotes,
        IValidator<QuoteRequest> validator, ClaimsPrincipal user, CancellationToken ct)
    {
        ProblemHttpResult? blocked = null;
        var result = await ConditionalWrite.PatchAsync("quote", id, ifMatch, patch, validator,
            () => quotes.GetAsync(id, Audience.Editor, Includes.None, ct), q => q.ToRequest(),
            async (r, v) =>
            {
                var (quote, shownBy, notCorrectable) = await quotes.UpdateAsync(id, r, v, user.Actor(), ct);
                blocked = notCorrectable ? NotCorrectable() : ShownBy(shownBy);
                return quote;
            },
            () => quotes.VersionAsync(id, ct), ct);
        return blocked ?? (Results<Ok<QuoteResponse>, ProblemHttpResult>)result;
    }

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, IfMatch ifMatch, QuoteRepository quotes, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.DeleteAsync("quote", id, ifMatch, v => quotes.DeleteAsync(id, v, user.Actor(), ct));

    private static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Save(
        Guid id, QuoteRequest request, int expected, QuoteRepository quotes, ClaimsPrincipal user, CancellationToken ct)
    {
        ProblemHttpResult? blocked = null;
        var result = await ConditionalWrite.SaveAsync("quote", id, expected, async v =>
        {
            var (quote, shownBy, notCorrectable) = await quotes.UpdateAsync(id, request, v, user.Actor(), ct);
            blocked = notCorrectable ? NotCorrectable() : ShownBy(shownBy);
            return quote;
        }, () => quotes.VersionAsync(id, ct));
        return blocked ?? (Results<Ok<QuoteResponse>, ProblemHttpResult>)result;
    }

    /// <summary>A correction is news to readers only where they read the quote: in an article they can see.</summary>
    private static ProblemHttpResult NotCorrectable(string? message = null) => Problems.Validation("correction",
        message ?? "No article readers can see now uses this quote, so there is nothing public to correct; change it without correction.", 422);

    private static ProblemHttpResult? ShownBy(Guid[] articles) => articles.Length == 0
        ? null
        : Problems.Validation("articleIds",
            $"Articles {string.Join(", ", articles)} show this quote in their body; remove the quote block first.", 422);
}
