using ContentApi.Delivery;

namespace ContentApi.Infrastructure;

public static class EndpointConventions
{
    /// <summary>What every resource group shares: representation headers, strict query strings, documented problems.</summary>
    public static RouteGroupBuilder WithResourceConventions(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<RepresentationFilter>();
        group.AddEndpointFilterFactory((factory, next) =>
        {
            // Writes evict the reader output cache; reads pass straight through.
            var isWrite = factory.MethodInfo.Name is not ("List" or "Get" or "Read");
            if (!isWrite) return next;
            var evict = ActivatorUtilities.CreateInstance<EvictOnWriteFilter>(factory.ApplicationServices);
            return invocation => evict.InvokeAsync(invocation, next);
        });
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

    /// <summary>Problems a write can meet beyond validation: stale or missing If-Match, conflicts, dangling references.</summary>
    public static RouteHandlerBuilder WithWriteProblems(this RouteHandlerBuilder builder, bool conditional) =>
        builder
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithWriteConflicts(conditional);

    private static RouteHandlerBuilder WithWriteConflicts(this RouteHandlerBuilder builder, bool conditional) =>
        conditional
            ? builder.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            : builder.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
