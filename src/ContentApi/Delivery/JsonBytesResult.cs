using System.Buffers;
using System.IO.Hashing;
using Microsoft.IO;

namespace ContentApi.Delivery;

/// <summary>
/// A serialized JSON answer written as it is. TypedResults.Bytes is a file result: on every request it creates a logger
/// (under the logger factory's lock) and runs file preconditions and Range handling that a JSON answer never needs.
/// The bytes live in pooled blocks, not one array: a list or sync page is often larger than 85 KB, and an array per
/// request of that size goes to the large object heap and makes the GC collect everything.
/// </summary>
internal sealed class JsonBytesResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    // Enough free blocks for every connection of a busy process to have a few pages in flight; beyond it, blocks go to the GC.
    private static readonly RecyclableMemoryStreamManager buffers = new(new RecyclableMemoryStreamManager.Options
    {
        MaximumSmallPoolFreeBytes = 64 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    private readonly RecyclableMemoryStream body;

    private JsonBytesResult(RecyclableMemoryStream body) => this.body = body;

    /// <summary>An empty body whose blocks go back to the pool when the request ends, whatever is answered.</summary>
    public static JsonBytesResult Rent(HttpContext http)
    {
        var result = new JsonBytesResult(buffers.GetStream());
        http.Response.RegisterForDispose(result.body);
        return result;
    }

    /// <summary>Where the JSON is written.</summary>
    public IBufferWriter<byte> Writer => body;

    /// <summary>XxHash128 of the body, the same as hashing it in one array.</summary>
    public void Hash(Span<byte> destination)
    {
        var hash = new XxHash128();
        foreach (var segment in body.GetReadOnlySequence())
            hash.Append(segment.Span);
        hash.GetCurrentHash(destination);
    }

    public int? StatusCode => StatusCodes.Status200OK;
    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        var output = response.BodyWriter;
        foreach (var segment in body.GetReadOnlySequence())
            output.Write(segment.Span);
        return output.FlushAsync(http.RequestAborted).AsTask();
    }
}
