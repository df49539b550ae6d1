using System.ComponentModel.DataAnnotations;

namespace ContentApi.Revisions;

/// <summary>Revisions:* configuration.</summary>
public sealed class RevisionOptions
{
    /// <summary>How long a deleted item can be brought back with POST .../{id}/restore.</summary>
    [Range(0, 36500)]
    public int DeletedRetentionDays { get; set; } = 30;

    /// <summary>Revisions kept per item; older ones are pruned in the background. Null keeps all.</summary>
    [Range(1, int.MaxValue)]
    public int? KeepPerItem { get; set; }

    /// <summary>How often the pruner looks for items over <see cref="KeepPerItem"/>.</summary>
    [Range(1, 86400)]
    public int PruneIntervalSeconds { get; set; } = 300;
}
