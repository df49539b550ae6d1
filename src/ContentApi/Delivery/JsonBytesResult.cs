namespace ContentApi.Delivery;

/// <summary>
/// A serialized JSON answer written as it is. TypedResults.Bytes is a file result: on every request it creates a logger
/// (under the logger factory's lock) and runs file preconditions and Range handling that a JSON answer never needs.
/// </summary>
internal sealed class JsonBytesResult(byte[] body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;
    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
