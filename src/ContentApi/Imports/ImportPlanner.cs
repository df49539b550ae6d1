using ContentApi.Articles;
using ContentApi.Imports.Extraction;
using ContentApi.Infrastructure;
using ContentApi.People;

namespace ContentApi.Imports;

/// <summary>
/// Joins what the extractor found with what the database already holds: which people and sources exist, which are
/// new, each quote's role on its date; and turns that into the proposal and, for a commit, the write plan.
/// </summary>
public static class ImportPlanner
{
    public sealed record Planned(ImportProposal Proposal, ImportPlan Plan, List<int> StoredQuoteIndexes);

    public static Planned Build(StoryExtraction x, ImportRequest request, IReadOnlyList<PersonMatch> people, IReadOnlyList<SourceMatch> sources, DateOnly storyDate)
    {
        var articleId = Guid.CreateVersion7();
        var entityIds = new Dictionary<StoryEntity, (Guid Id, bool Existing, double Confidence, PersonMatch? Match)>();
        var planned = new List<PlannedPerson>();
        foreach (var e in x.Entities)
        {
            var match = MatchOf(e.Name, e.Names, people);
            var id = match?.Id ?? Guid.CreateVersion7();
            entityIds[e] = (id, match is not null, match?.Confidence ?? 1.0, match);
            var roles = match?.RoleSpans ?? [];
            var changed = false;
            if (e.Role is { Length: > 0 and <= 200 } role && !roles.Any(r => r.Title.Equals(role, StringComparison.OrdinalIgnoreCase)))
            {
                roles = [.. roles, new PersonRoleSpan { Title = role, From = storyDate }];
                changed = true;
            }
            planned.Add(new PlannedPerson(id, match is null, Clip(e.Name, 200), e.Aliases.Where(a => a.Length <= 200).Take(50).ToList(),
                e.Role is { Length: <= 200 } r2 ? r2 : null, roles, changed, [.. LookupNames(e.Name, e.Names)]));
        }

        var sourceIds = new Dictionary<string, (Guid Id, bool Existing)>(StringComparer.OrdinalIgnoreCase);
        var plannedSources = new List<PlannedSource>();
        foreach (var name in x.Sources)
        {
            var match = sources.FirstOrDefault(s => s.Query.Equals(name, StringComparison.OrdinalIgnoreCase));
            var known = KnownOutlets.Find(name);
            var id = match?.Id ?? Guid.CreateVersion7();
            sourceIds[name] = (id, match is not null);
            plannedSources.Add(new PlannedSource(id, match is null, Clip(name, 200), known?.Kind ?? "other", known?.Country, known?.Url));
        }

        var quotes = new List<ImportQuote>();
        var plannedQuotes = new List<PlannedQuote>();
        var storedIndexes = new List<int>();
        var warnings = x.Warnings.Select(w => new ImportWarning { Code = w.Code, Message = w.Message, Paragraph = w.Paragraph }).ToList();
        foreach (var q in x.Quotes)
        {
            var speaker = q.Speaker is { Unnamed: false } s ? s : null;
            var blockText = q.Block is { } b ? x.Blocks[b].Text : null;
            var start = blockText is null ? q.Start : CodePoints(blockText, q.Start);
            var end = blockText is null ? q.End : CodePoints(blockText, q.End);
            string? role = q.Speaker is { Unnamed: true } ? null : q.SpeakerRole;
            var saidOn = q.When is { } when ? SaidDate.Resolve(when, storyDate) ?? storyDate : storyDate;
            if (speaker is not null && role is null && entityIds[speaker].Match is { } m)
                role = RoleOn(m.RoleSpans, saidOn);
            var source = q.Source is { } src && sourceIds.TryGetValue(src, out var sid) ? new ImportQuoteSource { Name = src, SourceId = sid.Id, Match = sid.Existing ? ImportMatch.Existing : ImportMatch.New } : null;
            quotes.Add(new ImportQuote
            {
                Text = q.Text, Type = q.Type == "indirect" ? ImportQuoteType.Indirect : ImportQuoteType.Direct, Paragraph = q.Block,
                Start = start, End = end, Cue = q.Cue, SpeakerRole = role, Source = source, QuoteId = null,
                Speaker = speaker is null ? null : new ImportSpeaker
                {
                    Name = speaker.Name, PersonId = entityIds[speaker].Id, Match = entityIds[speaker].Existing ? ImportMatch.Existing : ImportMatch.New,
                    Mention = Mention(q.Cue, speaker), Kind = speaker.IsOrganization ? SpeakerKind.Organization : SpeakerKind.Person,
                    Confidence = entityIds[speaker].Confidence,
                },
            });
            if (speaker is null || q.Block is null || q.Text.Trim().Length == 0 || q.Text.Length > 10000)
            {
                if (speaker is not null && q.Block is null)
                    warnings.Add(new ImportWarning { Code = "title_quote_not_stored", Message = $"The quote in the title (\"{Clip(q.Text, 80)}\") is not stored: its text is not in the body." });
                continue;
            }
            storedIndexes.Add(quotes.Count - 1);
            plannedQuotes.Add(new PlannedQuote(q.Text, q.Type, Clip(x.Language, 35), entityIds[speaker].Id, role is { Length: <= 200 } ? role : null, saidOn,
                q.Occasion is { Length: <= 200 } occ ? occ : null, source?.SourceId, request.SourceUrl, q.Block.Value, start, end));
        }

        // People linked to the article: those in the title or the lead are its subjects, the others mentioned.
        var lead = (x.Title + " " + x.Blocks.FirstOrDefault(bl => bl.Type == "paragraph")?.Text);
        var articlePeople = x.Entities.Where(e => !e.IsOrganization)
            .Select(e => (entityIds[e].Id, e.Names.Any(n => lead.Contains(n, StringComparison.Ordinal)) ? "subject" : "mentioned")).ToList();
        var quoteSources = x.Quotes.Where(q => q.Source is not null).Select(q => q.Source!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var articleSources = x.Sources.Select(s => (sourceIds[s].Id, quoteSources.Contains(s) ? "reported-via" : "cited")).ToList();

        var blocks = x.Blocks.Select(bl => bl.Type == "heading" ? (BodyBlock)new HeadingBlock { Text = bl.Text, Level = 2 } : new ParagraphBlock { Text = bl.Text }).ToList();
        var proposal = new ImportProposal
        {
            Language = x.Language,
            Title = x.Title,
            Paragraphs = x.Blocks.Select(bl => new ImportBlock { Type = bl.Type, Text = bl.Text }).ToList(),
            Quotes = quotes,
            People = x.Entities.Select(e => new ImportPerson
            {
                Name = e.Name, PersonId = entityIds[e].Existing ? entityIds[e].Id : entityIds[e].Id, Match = entityIds[e].Existing ? ImportMatch.Existing : ImportMatch.New,
                Aliases = e.Aliases, Role = e.Role, Kind = e.IsOrganization ? SpeakerKind.Organization : SpeakerKind.Person,
            }).ToList(),
            Sources = x.Sources.Select(s => new ImportSource { Name = s, SourceId = sourceIds[s].Id, Match = sourceIds[s].Existing ? ImportMatch.Existing : ImportMatch.New }).ToList(),
            Warnings = warnings,
        };
        var plan = new ImportPlan(articleId, Clip(x.Title, 300), Clip(x.Language, 35), request.PublishedAt, request.Section, ContentJson.Serialize<List<BodyBlock>>(blocks),
            planned, plannedSources, plannedQuotes, articlePeople, articleSources);
        return new Planned(proposal, plan, storedIndexes);
    }

    /// <summary>
    /// The stored person an entity is: the most confident match of any of its names. A full name that matches nobody is
    /// someone new: a bare surname or first name would merge two people.
    /// </summary>
    public static PersonMatch? MatchOf(string name, IEnumerable<string> names, IReadOnlyList<PersonMatch> people) =>
        LookupNames(name, names).Select(n => people.FirstOrDefault(m => m.Query == n)).Where(m => m is not null).MaxBy(m => m!.Confidence);

    /// <summary>
    /// The names of an entity that <see cref="MatchOf"/> can match on, so the only ones worth asking the database about:
    /// all of them for a one-word name, the full names for someone with a full name; not a single letter, not longer
    /// than a stored name can be.
    /// </summary>
    public static IEnumerable<string> LookupNames(string name, IEnumerable<string> names)
    {
        var multiToken = name.Contains(' ');
        return names.Where(n => (!multiToken || n.Contains(' ')) && n.Length is > 1 and <= 200);
    }

    /// <summary>
    /// The committed proposal once the commit linked some of its new people and sources to ones a concurrent import
    /// created first: their ids are the stored ones and they are no longer new.
    /// </summary>
    public static ImportProposal Relink(ImportProposal p, IReadOnlyDictionary<Guid, Guid> relinked)
    {
        if (relinked.Count == 0) return p;
        Guid? To(Guid? id) => id is { } x && relinked.TryGetValue(x, out var to) ? to : id;
        ImportMatch MatchFor(Guid? id, ImportMatch match) => id is { } x && relinked.ContainsKey(x) ? ImportMatch.Existing : match;
        return p with
        {
            Quotes = p.Quotes.Select(q => q with
            {
                Speaker = q.Speaker is null ? null : q.Speaker with { PersonId = To(q.Speaker.PersonId), Match = MatchFor(q.Speaker.PersonId, q.Speaker.Match) },
                Source = q.Source is null ? null : q.Source with { SourceId = To(q.Source.SourceId), Match = MatchFor(q.Source.SourceId, q.Source.Match) },
            }).ToList(),
            People = p.People.Select(x => x with { PersonId = To(x.PersonId), Match = MatchFor(x.PersonId, x.Match) }).ToList(),
            Sources = p.Sources.Select(x => x with { SourceId = To(x.SourceId), Match = MatchFor(x.SourceId, x.Match) }).ToList(),
        };
    }

    /// <summary>The proposal as a dry run shows it: ids only for what already exists.</summary>
    public static ImportProposal ForDryRun(ImportProposal p) => p with
    {
        Quotes = p.Quotes.Select(q => q with
        {
            Speaker = q.Speaker is null ? null : q.Speaker with { PersonId = q.Speaker.Match == ImportMatch.Existing ? q.Speaker.PersonId : null },
            Source = q.Source is null ? null : q.Source with { SourceId = q.Source.Match == ImportMatch.Existing ? q.Source.SourceId : null },
        }).ToList(),
        People = p.People.Select(x => x with { PersonId = x.Match == ImportMatch.Existing ? x.PersonId : null }).ToList(),
        Sources = p.Sources.Select(x => x with { SourceId = x.Match == ImportMatch.Existing ? x.SourceId : null }).ToList(),
    };

    /// <summary>The role a person held on a date: the latest one begun by then and not yet ended.</summary>
    public static string? RoleOn(IReadOnlyList<PersonRoleSpan> roles, DateOnly date) =>
        roles.Where(r => (r.From is null || r.From <= date) && (r.To is null || r.To >= date))
            .OrderByDescending(r => r.From ?? DateOnly.MinValue).FirstOrDefault()?.Title;

    /// <summary>A UTF-16 index as a count of Unicode code points (a surrogate pair is one).</summary>
    public static int CodePoints(string text, int index)
    {
        var count = 0;
        for (var i = 0; i < index && i < text.Length; i++)
            if (!char.IsLowSurrogate(text[i])) count++;
        return count;
    }

    private static string Mention(string? cue, StoryEntity speaker)
    {
        if (cue is not null)
            foreach (var n in speaker.Names.OrderByDescending(n => n.Length))
                if (cue.Contains(n, StringComparison.OrdinalIgnoreCase)) return n;
        return cue ?? speaker.Name;
    }

    private static string Clip(string s, int max) => TextCut.Prefix(s, max);
}
