namespace ContentApi.Writes;

public static class IdempotencyExtensions
{
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter<TRequest>>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new IdempotentCreate());
}
