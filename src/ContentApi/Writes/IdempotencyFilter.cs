using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentApi.Infrastructure;
using Npgsql;

namespace ContentApi.Writes;

/// <summary>
/// Idempotency-Key on creates: the first request with a key runs and its 201 is stored; a retry with the same key and
/// body gets that stored response (same status, id, Location); the same key with another body is a 422. Concurrent
/// retries wait for the first to finish. Failed requests release the key so a corrected retry can run.
/// </summary>
public sealed class IdempotencyFilter<TRequest>(IdempotencyRepository store, ILogger<IdempotencyFilter<TRequest>> logger) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    // A claim that has not completed in 10 s is abandoned (its request died with the database, say) and the next
    // retry takes it over; retries wait a little longer than that before giving up with 409.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(12);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string? key = http.Request.Headers[Header];
        if (key is null)
            return await next(context);
        if (key.Length is 0 or > 255 || key.Any(char.IsControl))
            return Problems.Validation(Header, "Use 1 to 255 printable characters.");

        var principal = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var request = context.Arguments.OfType<TRequest>().First();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n{ContentJson.Serialize(request)}"));
        var ct = http.RequestAborted;
        var deadline = DateTime.UtcNow + Patience;

        while (true)
        {
            var (claimed, existing) = await store.ClaimAsync(principal, key, hash, ct);
            if (claimed)
            {
                var answer = IdempotentAnswer.Current = new IdempotentAnswer(principal, key, http.Request.Path.Value!.TrimEnd('/'));
                return await RunAndStore(context, next, principal, key, answer);
            }
            if (existing is null)
                continue; // expired and deleted between our two statements: claim again
            if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
                return Problems.Validation(Header, "This Idempotency-Key was used with a different request; use a new key.", 422);
            if (existing.Status is { } status)
                return new ReplayResult(status, existing.Location!, existing.Body!);
            if (DateTime.UtcNow > deadline)
                return Problems.Make(409, Problems.Conflict, "Request in progress", "A request with this Idempotency-Key is still running; retry shortly.");
            await Task.Delay(50, ct);
        }
    }

    private async Task<object?> RunAndStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string principal, string key, IdempotentAnswer answer)
    {
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await store.ReleaseAsync(principal, key);
            throw;
        }
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IStatusCodeHttpResult { StatusCode: 201 } created && inner is IValueHttpResult { Value: IVersioned value })
        {
            // The create's own transaction stored this very answer with its revision (ChangeRecorder).
            if (ReferenceEquals(value, answer.State))
                return result;
            var location = $"{context.HttpContext.Request.Path.Value!.TrimEnd('/')}/{value.Id}";
            try
            {
                // The create has committed. Its answer is stored even when the client has gone: that client is the
                // one most likely to retry, and the retry must get this 201, not run the create again.
                await store.CompleteAsync(principal, key, created.StatusCode!.Value, location, ContentJson.Serialize<object>(value), CancellationToken.None);
            }
            catch (NpgsqlException e)
            {
                // The database went away between the create's commit and this update (seen in OutageTests: a fast
                // shutdown terminating the connection of this statement). The create happened, so the answer is its
                // 201: a 503 would invite a retry that, once the claim is taken over, runs the create a second time
                // (409 slug_taken, or a duplicate quote). Only a replay of this answer is lost.
                logger.LogWarning(e, "Created {Location}, but could not store the answer for Idempotency-Key replays", location);
            }
        }
        else
        {
            await store.ReleaseAsync(principal, key);
        }
        return result;
    }

    /// <summary>The stored first response, byte for byte, marked as a replay.</summary>
    private sealed class ReplayResult(int status, string location, string body) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            using var doc = JsonDocument.Parse(body);
            http.Response.StatusCode = status;
            http.Response.Headers.Location = location;
            if (doc.RootElement.TryGetProperty("version", out var version))
                http.Response.Headers.ETag = ETags.For(version.GetInt32());
            http.Response.Headers["Idempotent-Replayed"] = "true";
            http.Response.ContentType = "application/json; charset=utf-8";
            return http.Response.WriteAsync(body);
        }
    }
}
