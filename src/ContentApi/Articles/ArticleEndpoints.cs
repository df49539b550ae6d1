using System.Security.Claims;
using ContentApi.Auth;
using ContentApi.Delivery;
using ContentApi.Infrastructure;
using ContentApi.Search;
using ContentApi.Validation;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ContentApi.Articles;

public static class ArticleEndpoints
{
    public static RouteGroupBuilder MapArticles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/articles").WithTags("Articles").WithResourceConventions();
        var reads = group.MapReads();
        var writes = group.MapWrites();

        reads.MapGet("/", List).WithName("ListArticles").WithSummary("List articles")
            .WithDescription($"Newest published first by default; with q and no sort, the newest {RankedWindow.Size} matching articles ranked by full-text relevance in each article's language (sort=-publishedAt lists every match, newest first). Readers see only published articles whose publishedAt has passed.")
            .WithValidation<ListArticlesQuery>();
        reads.MapGet("/{idOrSlug}", Get).WithName("GetArticle").WithSummary("Get an article by id or slug")
            .WithDescription("include=quotes,quotes.speaker,quotes.source,people,sources embeds related resources in one database round trip.");
        writes.MapPost("/", Create).WithName("CreateArticle").WithSummary("Create an article")
            .WithValidation<ArticleRequest>().WithIdempotency<ArticleRequest>();
        writes.MapPut("/{id:guid}", Replace).WithName("ReplaceArticle").WithSummary("Replace an article")
            .WithValidation<ArticleRequest>().WithDescription(CorrectionNote);
        writes.MapPatch("/{id:guid}", Patch).WithName("PatchArticle").WithSummary("Change an article with a JSON Merge Patch")
            .Accepts<ArticleRequest>(MergePatch.MediaType).WithDescription(CorrectionNote);
        writes.MapDelete("/{id:guid}", Delete).WithName("DeleteArticle").WithSummary("Delete an article")
            .WithDescription("Its links go with it; the people, sources and quotes stay.");
        writes.MapPost("/{id:guid}/publish", Publish).WithName("PublishArticle").WithSummary("Publish or schedule an article")
            .WithValidation<PublishRequest>()
            .WithDescription("Sets status to published. publishedAt defaults to the article's own or now; a future time schedules it. If-Match is optional here.");
        writes.MapPost("/{id:guid}/unpublish", Unpublish).WithName("UnpublishArticle").WithSummary("Unpublish an article")
            .WithDescription("Sets status back to draft; readers stop seeing it at once. If-Match is optional here.");
        return group;
    }

    private const string CorrectionNote =
        "With correction, the change publishes a correction notice: it is appended to the article's corrections (schema.org correction) in the same " +
        "transaction. Only an article readers can see now takes one; a draft, scheduled or archived article answers 422 naming correction and nothing " +
        "is written. corrections itself is read-only: sending it is a 400.";

    public static async Task<Results<Ok<Page<ArticleResponse>>, ProblemHttpResult>> List(
        [AsParameters] ListArticlesQuery query, ArticleRepository articles, CursorCodec cursors, ClaimsPrincipal user, HttpRequest request,
        CancellationToken ct)
    {
        if (!ArticleIncludes.TryParse(query.Include, out var include, out var error))
            return Problems.Validation("include", error!);
        var q = query.Q?.Trim();
        var sort = query.Sort ?? (q is null ? ArticleRepository.DefaultSort : "rank");
        if (!cursors.TryRead(query.Cursor, ArticleRepository.ListName(sort), sort == "rank" ? CursorKey.Rank : CursorKey.Time, out var after, sort == "rank" ? CursorKey.Time : CursorKey.None))
            return Problems.Validation("cursor", CursorCodec.Invalid);
        ArticleStatus? status = Wire<ArticleStatus>.TryParse(query.Status, out var s) ? s : null;
        var filter = new ArticleFilter(status, query.Language, query.PersonId, query.SourceId, query.Tag, q,
            Utc(query.PublishedAfter), Utc(query.PublishedBefore), Utc(query.UpdatedSince), sort);
        // A list screen asks for fields= without body and links: what it leaves out is neither read nor parsed.
        var parts = ArticleRepository.PartsFor(RepresentationFilter.Requested(request));
        var (items, next) = await articles.ListAsync(filter, after, query.Limit ?? Limits.DefaultPageSize, user.Audience(), include, parts, ct);
        return TypedResults.Ok(new Page<ArticleResponse>(items, next is null ? null : cursors.Encode(next)));
    }

    public static async Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> Get(
        string idOrSlug, string? include, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!ArticleIncludes.TryParse(include, out var includes, out var error))
            return Problems.Validation("include", error!);
        var article = await articles.GetAsync(IdOrSlug.Parse(idOrSlug), user.Audience(), includes, ct);
        return article is null ? Problems.NotFound("article", idOrSlug) : TypedResults.Ok(article);
    }

    public static async Task<Results<CreatedAtRoute<ArticleResponse>, ProblemHttpResult>> Create(
        ArticleRequest request, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Correction is not null)
            return NotCorrectable("A new article has nothing published to correct; send correction when changing a published one.");
        var created = await articles.CreateAsync(Normalize(request), user.Actor(), ct);
        return TypedResults.CreatedAtRoute(created, "GetArticle", new { idOrSlug = created.Id });
    }

    public static async Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> Replace(
        Guid id, ArticleRequest request, IfMatch ifMatch, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct)
    {
        var refused = false;
        var result = await ConditionalWrite.SaveAsync("article", id, ifMatch.Version, async v =>
        {
            (var article, refused) = await articles.UpdateAsync(id, Normalize(request), v, user.Actor(), ct);
            return article;
        }, () => articles.VersionAsync(id, ct));
        return refused ? NotCorrectable() : result;
    }

    public static async Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> Patch(
        Guid id, MergePatch patch, IfMatch ifMatch, ArticleRepository articles,
        IValidator<ArticleRequest> validator, ClaimsPrincipal user, CancellationToken ct)
    {
        var refused = false;
        var result = await ConditionalWrite.PatchAsync("article", id, ifMatch, patch, validator,
            () => articles.GetAsync(new IdOrSlug(id, null), Audience.Editor, ArticleIncludes.None, ct), a => a.ToRequest(),
            async (r, v) =>
            {
                (var article, refused) = await articles.UpdateAsync(id, Normalize(r), v, user.Actor(), ct);
                return article;
            }, () => articles.VersionAsync(id, ct), ct);
        return refused ? NotCorrectable() : result;
    }

    /// <summary>A correction is news to readers only where they could read the article: there is nothing public to correct.</summary>
    private static ProblemHttpResult NotCorrectable(string? message = null) => Problems.Validation("correction",
        message ?? "Only an article readers can see now (published, publishedAt passed) takes a correction; change this one without it.", 422);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, IfMatch ifMatch, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.DeleteAsync("article", id, ifMatch, v => articles.DeleteAsync(id, v, user.Actor(), ct));

    public static Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> Publish(
        Guid id, [FromBody] PublishRequest? request, IfMatch? ifMatch, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct) =>
        SetPublished(id, true, Utc(request?.PublishedAt), ifMatch, articles, user, ct);

    public static Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> Unpublish(
        Guid id, IfMatch? ifMatch, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct) =>
        SetPublished(id, false, null, ifMatch, articles, user, ct);

    /// <summary>If-Match is optional: publishing is idempotent, but a client that sends it gets the usual protection (0 = any version).</summary>
    private static Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> SetPublished(
        Guid id, bool publish, DateTime? publishedAt, IfMatch? ifMatch, ArticleRepository articles, ClaimsPrincipal user, CancellationToken ct) =>
        ConditionalWrite.SaveAsync("article", id, ifMatch?.Version ?? 0,
            e => articles.SetPublishedAsync(id, publish, publishedAt, e, user.Actor(), ct), () => articles.VersionAsync(id, ct));

    /// <summary>Quote blocks bring their quote along: the article's quoteIds always include what its body shows.</summary>
    private static ArticleRequest Normalize(ArticleRequest r) => r with
    {
        QuoteIds = r.EffectiveQuoteIds(),
        PublishedAt = Utc(r.PublishedAt),
    };

    private static DateTime? Utc(DateTime? value) => value?.Kind switch
    {
        null => null,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value.Value, DateTimeKind.Utc),
        _ => value.Value.ToUniversalTime(),
    };
}
