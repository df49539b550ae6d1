using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Tags in reading order, each with what its resource is; tags without a description here stay as they are.</summary>
public sealed class TagDocumentFilter : IDocumentFilter
{
    private static readonly (string Name, string Description)[] Known =
    [
        ("Articles", "Stories: title, summary and a body of typed blocks (paragraph, heading, quote, image, embed) that clients render natively, "
            + "linked to the people, sources and quotes they use. Readers see published articles only; drafts, scheduled and archived ones need an editor key."),
        ("Quotes", "Verbatim words, returned byte for byte, with who said them, their role at the time, when, where, and the source they were reported via."),
        ("People", "Who is quoted or mentioned: name, aliases, title, affiliation. q searches names and aliases and tolerates typos."),
        ("Sources", "Where reporting comes from: news agencies, newspapers, broadcasters, magazines, websites, governments and organizations."),
        ("Sync", "The mobile sync feed: every change since a token, across all four resource types, in order, with deletions as tombstones."),
        ("Revisions", "Every version of an article, quote, person or source with who changed it and when; diffs as JSON Patch, restore and undelete. Editors only."),
        ("Webhooks", "Signed event deliveries (Standard Webhooks) from a transactional outbox: subscriptions, deliveries, retries and pings; admins only."),
        ("Keys", "API keys and their roles (reader, editor, admin); admins only."),
    ];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = document.Paths.Values
            .SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .ToHashSet();
        var tags = Known.Where(k => used.Contains(k.Name)).Select(k => new OpenApiTag { Name = k.Name, Description = k.Description })
            .Concat(used.Where(u => Known.All(k => k.Name != u)).Order(StringComparer.Ordinal).Select(u => new OpenApiTag { Name = u }));
        document.Tags = new HashSet<OpenApiTag>(tags);
    }
}
