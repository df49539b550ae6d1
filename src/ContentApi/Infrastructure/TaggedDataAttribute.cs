namespace ContentApi.Infrastructure;

/// <summary>
/// On a contract with a string tag property and an untyped data property (an envelope such as a feed item): when the
/// tag is <see cref="Tag"/>, data is a <see cref="DataType"/> (or null). The OpenAPI document turns each attribute into
/// one typed case of a tagged union, so generated clients get typed data without re-parsing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class TaggedDataAttribute(string tag, Type dataType, string tagProperty = "type", string dataProperty = "data") : Attribute
{
    public string Tag { get; } = tag;
    public Type DataType { get; } = dataType;
    public string TagProperty { get; } = tagProperty;
    public string DataProperty { get; } = dataProperty;
}
