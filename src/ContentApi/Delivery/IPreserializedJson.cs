namespace ContentApi.Delivery;

/// <summary>An answer whose JSON is already written (by the database), byte for byte what serializing its contract would give.</summary>
public interface IPreserializedJson
{
    /// <summary>The answer's UTF-8 JSON, compact, with ContentJson's escaping.</summary>
    byte[] Utf8Json { get; }

    /// <summary>The contract type the bytes are an instance of (fields= checks names against it).</summary>
    Type Contract { get; }
}
