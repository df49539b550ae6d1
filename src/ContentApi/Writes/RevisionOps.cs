namespace ContentApi.Writes;

/// <summary>The operations a revision records (the check constraint of revisions.op in migration 0007).</summary>
public static class RevisionOps
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Publish = "publish";
    public const string Unpublish = "unpublish";
    public const string Delete = "delete";
    public const string Restore = "restore";
    public const string Undelete = "undelete";

    public static readonly IReadOnlyList<string> All = [Create, Update, Publish, Unpublish, Delete, Restore, Undelete];
}
