using ContentApi.Auth;
using ContentApi.Delivery;
using ContentApi.Writes;

namespace ContentApi.Infrastructure;

public static class EndpointConventions
{
    /// <summary>What every resource group shares: representation headers, strict query strings, documented problems.</summary>
    public static RouteGroupBuilder WithResourceConventions(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<RepresentationFilter>();
        group.RejectUnknownQueryParameters();
        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary>The reads of a resource group: readers and up; drafts stay hidden by audience, not by route.</summary>
    public static RouteGroupBuilder MapReads(this RouteGroupBuilder group) =>
        group.MapGroup("").RequireAuthorization(Policies.Read);

    /// <summary>
    /// The writes of a resource group: editors and up, every success evicts the readers' output cache, and the
    /// problems a write can meet beyond validation (If-Match adds 412/428 where a route binds it).
    /// </summary>
    public static RouteGroupBuilder MapWrites(this RouteGroupBuilder group)
    {
        var writes = group.MapGroup("").RequireAuthorization(Policies.Write);
        return writes.WithWriteFilters().WithWriteProblems();
    }

    /// <summary>
    /// What runs around every write: the retry of a write PostgreSQL broke off to settle a deadlock, and inside it the
    /// eviction of readers' answers after a success. Each try gets its own commit notice: a broken-off try's NOTIFY
    /// rolled back with it, so the next try must send one again.
    /// </summary>
    public static TBuilder WithWriteFilters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ConflictRetryFilter>().AddEndpointFilter<TBuilder, EvictOnWriteFilter>();

    /// <summary>Problems any write can meet beyond validation: conflicts, dangling references, body size and type.</summary>
    public static TBuilder WithWriteProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
