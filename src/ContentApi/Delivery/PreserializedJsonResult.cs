namespace ContentApi.Delivery;

/// <summary>
/// A 200 whose body is an <see cref="IPreserializedJson"/>'s bytes. It exposes the value, so RepresentationFilter sets
/// ETag and Last-Modified and answers 304 as for any other value.
/// </summary>
public sealed class PreserializedJsonResult(IPreserializedJson value) : IResult, IValueHttpResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public object Value => value;
    public int? StatusCode => StatusCodes.Status200OK;
    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext http) => new JsonBytesResult(value.Utf8Json).ExecuteAsync(http);
}
