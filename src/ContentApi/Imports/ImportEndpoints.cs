using System.Security.Claims;
using System.Security.Cryptography;
using ContentApi.Articles;
using ContentApi.Delivery;
using ContentApi.Imports.Extraction;
using ContentApi.Infrastructure;
using ContentApi.Writes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Imports;

public static class ImportEndpoints
{
    public static RouteGroupBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/imports").WithTags("Imports").WithResourceConventions();
        var writes = group.MapWrites();
        writes.MapPost("/", Import).WithName("ImportStory").WithSummary("Import a story as a draft article with its quotes")
            .WithDescription("Body: the story as text/plain; charset=utf-8 (one paragraph per line), text/html, or JSON. "
                + "Finds paragraphs, the title, direct and indirect quotes, their speakers and reporting sources. "
                + "dryRun=true answers 200 with the proposal and writes nothing; otherwise one transaction creates a draft article "
                + "with its quotes, new people and sources (existing ones and identical quotes are reused) and answers 201.")
            .Accepts<ImportRequest>("application/json", "text/plain", "text/html")
            .ProducesValidationProblem()
            .WithMetadata(new IdempotentCreate())
            // A dry run answers 200 and writes nothing: only a committed import (201, a replay too) evicts readers' answers.
            .WithMetadata(new EvictOnStatus(StatusCodes.Status201Created));
        return group;
    }

    public static async Task<Results<Ok<ImportResponse>, Created<ImportResponse>, ProblemHttpResult, ValidationProblem>> Import(
        [AsParameters] ImportQuery query, HttpRequest http, ImportRepository imports, ArticleRepository articles,
        IdempotencyRepository idempotency, IValidator<ImportRequest> validator, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await ImportBody.ReadAsync(http, ct);
        if (problem is not null) return problem;
        var validation = await validator.ValidateAsync(body!.Request, ct);
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.ToDictionary());

        var dryRun = query.DryRun == true;
        string? key = http.Headers[IdempotencyFilter<ImportRequest>.Header];
        var principal = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        if (key is not null && !dryRun)
        {
            if (key.Length is 0 or > 255 || key.Any(char.IsControl))
                return Problems.Validation(IdempotencyFilter<ImportRequest>.Header, "Use 1 to 255 printable characters.");
            var hash = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes($"POST /v1/imports {http.ContentType}\n"), .. body.Raw]);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(12);
            while (true)
            {
                var (claimed, existing) = await idempotency.ClaimAsync(principal, key, hash, ct);
                if (claimed) break;
                if (existing is null) continue;
                if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
                    return Problems.Validation(IdempotencyFilter<ImportRequest>.Header, "This Idempotency-Key was used with a different request; use a new key.", 422);
                if (existing.Status is not null)
                {
                    http.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                    return TypedResults.Created(existing.Location, ContentJson.Deserialize<ImportResponse>(existing.Body!));
                }
                if (DateTime.UtcNow > deadline)
                    return Problems.Make(409, Problems.Conflict, "Request in progress", "A request with this Idempotency-Key is still running; retry shortly.");
                await Task.Delay(50, ct);
            }
        }

        try
        {
            var result = await RunAsync(body, dryRun, imports, articles, ct);
            if (key is not null && !dryRun)
            {
                var location = $"/v1/articles/{result.Article!.Id}";
                await idempotency.CompleteAsync(principal, key, 201, location, ContentJson.Serialize(result), CancellationToken.None);
            }
            if (dryRun) return TypedResults.Ok(result);
            http.HttpContext.Response.Headers.ETag = ETags.For(result.Article!.Version);
            return TypedResults.Created($"/v1/articles/{result.Article.Id}", result);
        }
        catch
        {
            if (key is not null && !dryRun) await idempotency.ReleaseAsync(principal, key);
            throw;
        }
    }

    private static async Task<ImportResponse> RunAsync(ImportBody.Read body, bool dryRun, ImportRepository imports, ArticleRepository articles, CancellationToken ct)
    {
        var request = body.Request;
        var extraction = StoryExtractor.Extract(body.Lines, request.Title, request.Language);
        var storyDate = DateOnly.FromDateTime(request.PublishedAt ?? DateTime.UtcNow);
        var names = extraction.Entities.SelectMany(e => ImportPlanner.LookupNames(e.Name, e.Names)).Distinct().ToList();
        var (people, sources) = await imports.MatchAsync(names, extraction.Sources, ct);
        var planned = ImportPlanner.Build(extraction, request, people, sources, storyDate);
        if (dryRun)
            return new ImportResponse { Article = null, Proposal = ImportPlanner.ForDryRun(planned.Proposal) };

        var (quoteIds, relinked) = await imports.CommitAsync(planned.Plan, ct);
        var proposal = ImportPlanner.Relink(planned.Proposal, relinked);
        var quotes = proposal.Quotes.ToList();
        for (var i = 0; i < planned.StoredQuoteIndexes.Count; i++)
            quotes[planned.StoredQuoteIndexes[i]] = quotes[planned.StoredQuoteIndexes[i]] with { QuoteId = quoteIds[i] };
        var article = await articles.GetAsync(new IdOrSlug(planned.Plan.ArticleId, null), Audience.Editor, ArticleIncludes.None, ct);
        return new ImportResponse { Article = article, Proposal = proposal with { Quotes = quotes } };
    }
}
