namespace ContentApi.Infrastructure;

public interface IPage
{
    string? NextCursor { get; }
    DateTime? LastModified { get; }
}
