using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace ContentApi.Writes;

/// <summary>
/// Runs a write again when PostgreSQL broke off its transaction to settle a deadlock or a serialization conflict
/// (40P01, 40001). Nothing of the broken-off try stays, and writes that lock quotes and articles in different orders
/// (an article's links touch its quotes, a quote's links touch its articles) can meet that way under load. The whole
/// handler runs again, so If-Match and validation see the state the retry writes over. Only when every try loses does
/// the client get the 503 (ExceptionProblemHandler).
/// </summary>
public sealed class ConflictRetryFilter(ResiliencePipelineProvider<string> pipelines) : IEndpointFilter
{
    public const string Pipeline = "write-conflicts";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        pipelines.GetPipeline(Pipeline).ExecuteAsync(static (state, _) => state.next(state.context), (context, next),
            context.HttpContext.RequestAborted);

    private static bool Retries(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>Three more tries, further apart each time and jittered, so the two sides of a deadlock do not meet again.</summary>
    public static IServiceCollection AddConflictRetries(IServiceCollection services) =>
        services.AddResiliencePipeline(Pipeline, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PostgresException>(Retries),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(20),
            UseJitter = true,
        }));
}
