namespace ContentApi.Revisions;

/// <summary>What a change did: the revision ops of <see cref="Writes.RevisionOps"/>, as the contract's enum.</summary>
public enum RevisionOp
{
    Create,
    Update,
    Publish,
    Unpublish,
    Delete,
    Restore,
    Undelete,
}
