using System.IO.Compression;

namespace ContentApi.Tests.Conformance;

/// <summary>
/// In every test client: validates each answer against openapi/v1.json and throws <see cref="ContractViolationException"/>
/// on a violation, which fails the test that made the request. CONTENTAPI_CONTRACT_REPORT=FILE appends violations
/// to FILE instead of throwing (to count them all in one run).
/// </summary>
public sealed class ContractValidatingHandler : DelegatingHandler
{
    /// <summary>For a pipeline that sets the inner handler itself (WebApplicationFactory.CreateDefaultClient).</summary>
    public ContractValidatingHandler() { }

    public ContractValidatingHandler(HttpMessageHandler inner) : base(inner) { }

    private static readonly string? ReportFile = Environment.GetEnvironmentVariable("CONTENTAPI_CONTRACT_REPORT");
    private static readonly Lock ReportLock = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        byte[] body = [];
        if (response.Content is not null)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
            if (encoding is not null && body.Length > 0) body = Decode(encoding, body);
        }
        // Bare Kestrel (no HAProxy in front, which answers these with problems) refuses a NUL in the path and a request
        // line over its limit (the app's query limit + 64 KiB, Hosting/Hardening) while parsing, before the app runs,
        // with empty 400 and 414 answers no setting can shape (docs/reliability.md): only those, by their exact cause.
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var kestrel = (int)response.StatusCode switch
        {
            400 => path.Contains("%00", StringComparison.Ordinal),
            414 => request.RequestUri!.PathAndQuery.Length > 64 * 1024,
            _ => false,
        };
        if (kestrel && body.Length == 0 && response.Content?.Headers.ContentType is null)
            return response;
        var violations = OpenApiResponseValidator.Instance.Validate(request.Method.Method, path, (int)response.StatusCode,
            response.Headers, response.Content?.Headers, body);
        if (violations.Count == 0) return response;
        if (ReportFile is not null)
        {
            lock (ReportLock) File.AppendAllLines(ReportFile, [$"{violations.Count} | " + string.Join(" | ", violations.Take(6))]);
            return response;
        }
        var preview = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 600));
        throw new ContractViolationException($"{request.Method} {request.RequestUri} answered against openapi/v1.json:\n  "
            + string.Join("\n  ", violations.Take(20)) + $"\nBody: {preview}");
    }

    private static byte[] Decode(string encoding, byte[] body)
    {
        using Stream decoder = encoding switch
        {
            "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
            "deflate" => new ZLibStream(new MemoryStream(body), CompressionMode.Decompress),
            _ => new MemoryStream(body),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}

public sealed class ContractViolationException(string message) : Exception(message);
