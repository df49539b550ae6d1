namespace ContentApi.Infrastructure;

/// <summary>
/// A versioned representation that can carry state its version does not cover (computed when read, such as editors'
/// warnings): while it does, a GET's ETag is a hash of the bytes, so a conditional GET cannot hide that state.
/// </summary>
public interface IVariesBeyondVersion
{
    bool VariesBeyondVersion { get; }
}
