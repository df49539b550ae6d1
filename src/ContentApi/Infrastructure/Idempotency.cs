using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContentApi.Infrastructure;

/// <summary>Stored first responses of POSTs sent with an Idempotency-Key, per principal, for 24 hours.</summary>
public sealed class IdempotencyRepository(NpgsqlDataSource dataSource)
{
    private const string Claim = """
        delete from idempotency_keys where principal = @Principal and key = @Key
          and (created_at < now() - interval '24 hours' or (status is null and created_at < now() - interval '10 seconds'));
        insert into idempotency_keys (principal, key, request_hash) values (@Principal, @Key, @Hash)
        on conflict do nothing
        returning true
        """;

    private const string Find = "select request_hash, status, location, body from idempotency_keys where principal = @Principal and key = @Key";

    private const string Complete = "update idempotency_keys set status = @Status, location = @Location, body = @Body where principal = @Principal and key = @Key";

    private const string Release = "delete from idempotency_keys where principal = @Principal and key = @Key and status is null";

    public sealed record Stored(byte[] RequestHash, int? Status, string? Location, string? Body);

    /// <summary>True when this request now owns the key; otherwise what is stored under it (null if it just vanished).</summary>
    public async Task<(bool Claimed, Stored? Existing)> ClaimAsync(string principal, string key, byte[] hash, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var args = new { Principal = principal, Key = key, Hash = hash };
        if (await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(Claim, args, cancellationToken: ct)) == true)
            return (true, null);
        return (false, await conn.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(Find, args, cancellationToken: ct)));
    }

    public async Task CompleteAsync(string principal, string key, int status, string location, string body, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Complete, new { Principal = principal, Key = key, Status = status, Location = location, Body = body }, cancellationToken: ct));
    }

    public async Task ReleaseAsync(string principal, string key)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition(Release, new { Principal = principal, Key = key }));
    }
}

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
                return await RunAndStore(context, next, principal, key);
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

    private async Task<object?> RunAndStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string principal, string key)
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

public static class IdempotencyExtensions
{
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter<TRequest>>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new IdempotentCreate());
}

/// <summary>Marks endpoints that honour Idempotency-Key (the OpenAPI filter documents the header for them).</summary>
public sealed class IdempotentCreate;
