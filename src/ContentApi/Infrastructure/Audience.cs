namespace ContentApi.Infrastructure;

/// <summary>Who is asking: readers see only published, current content; editors see everything.</summary>
public enum Audience { Reader, Editor }

/// <summary>A resource addressed by id or slug.</summary>
public readonly record struct IdOrSlug(Guid? Id, string? Slug)
{
    public static IdOrSlug Parse(string value) =>
        Guid.TryParse(value, out var id) ? new IdOrSlug(id, null) : new IdOrSlug(null, value);

    public override string ToString() => Id?.ToString() ?? Slug ?? "";
}
