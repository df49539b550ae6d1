namespace ContentApi.Revisions;

/// <summary>The RFC 6902 operations a revision diff uses.</summary>
public enum JsonPatchOp
{
    Add,
    Remove,
    Replace,
}
