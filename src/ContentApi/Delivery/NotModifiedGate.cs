namespace ContentApi.Delivery;

/// <summary>
/// Sits outside the output cache's own response stream: the cache stores the full 200 answer to a conditional GET,
/// and the client gets a 304 without body when its If-None-Match matches the answer's ETag.
/// </summary>
public sealed class NotModifiedGate(HttpContext http, Stream inner) : Stream
{
    private bool? notModified;

    private bool Discard()
    {
        if (notModified is { } decided) return decided;
        var response = http.Response;
        decided = response.StatusCode == StatusCodes.Status200OK && response.Headers.ETag is { Count: > 0 } etag
            && RepresentationFilter.Matches(http.Request.Headers.IfNoneMatch, etag.ToString());
        notModified = decided;
        return decided;
    }

    /// <summary>Just before the headers go out: the status changes only now, after the cache has read it.</summary>
    public Task OnStarting()
    {
        if (Discard())
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
        }
        return Task.CompletedTask;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { if (!Discard()) inner.Flush(); }
    public override Task FlushAsync(CancellationToken cancellationToken) => Discard() ? Task.CompletedTask : inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) { if (!Discard()) inner.Write(buffer, offset, count); }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Discard() ? Task.CompletedTask : inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Discard() ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);
}
