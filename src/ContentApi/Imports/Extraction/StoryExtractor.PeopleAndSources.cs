using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

// StoryExtractor: people and sources.
public sealed partial class StoryExtractor
{
    private StoryEntity? Resolve(SpeakerPhrase phrase)
    {
        if (phrase.Source is not null) AddSource(phrase.Source);
        if (phrase.IsPronoun) return current;
        if (phrase.Unnamed is not null) return NewUnnamed(phrase.Unnamed);
        if (phrase.Descriptor is not null) return ResolveDescriptor(phrase.Descriptor);
        if (phrase.Name is null) return null;
        var entity = FindOrAdd(phrase.Name, phrase.IsOrganization, phrase.Honorific);
        if (entity.Role is null && phrase.Role is { Length: > 0 } role && !Pattern9.IsMatch(role)) entity.Role = role;
        return entity;
    }

    private StoryEntity? Find(string name)
    {
        var exact = registry.Where(e => !e.Unnamed && e.Names.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase))).MaxBy(e => e.LastSeen);
        if (exact is not null) return exact;
        var tokens = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 1)
            return registry.Where(e => !e.Unnamed && e.Name.Split(' ').Contains(tokens[0], StringComparer.OrdinalIgnoreCase)).MaxBy(e => e.LastSeen);
        return registry.Where(e => !e.Unnamed && (ContainsTokens(e.Name, tokens) || ContainsTokens(name, e.Name.Split(' ')) && e.Name.Split(' ').Length == 1
            && !registry.Any(o => o != e && o.Name.Split(' ').Contains(e.Name, StringComparer.OrdinalIgnoreCase)))).MaxBy(e => e.LastSeen);
    }

    private static bool ContainsTokens(string name, IEnumerable<string> tokens)
    {
        var own = name.Split(' ');
        return tokens.All(t => own.Contains(t, StringComparer.OrdinalIgnoreCase));
    }

    private StoryEntity FindOrAdd(string name, bool organization, string? honorific)
    {
        var entity = Find(name);
        if (entity is null)
        {
            entity = new StoryEntity { Name = name, IsOrganization = organization };
            registry.Add(entity);
        }
        else
        {
            if (name.Split(' ').Length > entity.Name.Split(' ').Length && !organization)
            {
                var old = entity.Name;
                entity.Name = name;
                entity.AddAlias(old);
            }
            else entity.AddAlias(name);
            entity.IsOrganization |= organization;
        }
        if (honorific is not null) entity.AddAlias(honorific + " " + name);
        entity.LastSeen = ++clock;
        return entity;
    }

    private StoryEntity NewUnnamed(string description)
    {
        var entity = new StoryEntity { Name = description, Role = description, Unnamed = true, LastSeen = ++clock };
        registry.Add(entity);
        return entity;
    }

    private StoryEntity? ResolveDescriptor(string descriptor)
    {
        var d = Pattern10.Replace(descriptor.Trim(), "");
        var demonstrative = Pattern11.IsMatch(d) || descriptor.TrimStart().StartsWith("the ", StringComparison.OrdinalIgnoreCase) || descriptor.TrimStart().StartsWith("The ");
        d = Pattern12.Replace(d, "");
        var words = d.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return null;
        var heads = new[] { words[0], words[^1] }.Select(w => w.ToLowerInvariant()).Distinct().ToList();
        var byHead = registry.Where(e => heads.Any(h => h.Length > 2 && (e.Name.Split(' ').Any(t => t.Equals(h, StringComparison.OrdinalIgnoreCase))
            || (e.Role ?? "").Split(' ', ',').Any(t => t.Equals(h, StringComparison.OrdinalIgnoreCase))
            || e.Aliases.Any(a => a.Equals(descriptor.Trim(), StringComparison.OrdinalIgnoreCase)))))
            .MaxBy(e => e.LastSeen);
        // "Pejabat Gedung Putih tersebut": a person described again is the one the story is following.
        StoryEntity? found = demonstrative && !heads.Any(Lexicon.OrgNouns.Contains) && current is { IsOrganization: false } ? current : byHead;
        if (found is null && heads.Any(Lexicon.OrgNouns.Contains))
            found = quotes.LastOrDefault(q => q.Speaker is { IsOrganization: true })?.Speaker ?? leadEntity
                    ?? registry.Where(e => e.IsOrganization && e.LastSeen > 0).MaxBy(e => e.LastSeen);
        if (found is null && demonstrative) found = current;
        if (found is null) return null;
        if (!found.Unnamed) found.AddAlias(descriptor.Trim());
        found.LastSeen = ++clock;
        return found;
    }

    private string? RoleOf(SpeakerPhrase phrase, StoryEntity? speaker) =>
        speaker is null ? phrase.Unnamed : speaker.Unnamed ? speaker.Role : speaker.Role;

    private void SetSource(ExtractedQuote quote, string? own, StoryEntity? speaker)
    {
        if (own is not null)
        {
            quote.Source = AddSource(own);
            quote.OwnSource = true;
            return;
        }
        var previous = quotes.LastOrDefault(q => q != quote);
        if (previous is { OwnSource: true, Source: not null } && previous.Speaker == speaker && speaker is not null)
        {
            quote.Source = previous.Source;
            quote.OwnSource = true;
            return;
        }
        quote.Source = sectionFrame ?? storyFrame;
    }

    private string AddSource(string written)
    {
        var name = KnownOutlets.Canonical(written).Name;
        if (!sources.Contains(name, StringComparer.OrdinalIgnoreCase)) sources.Add(name);
        return sources.First(s => s.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private void ScanOrganisations(List<StoryBlock> blocks)
    {
        foreach (var block in blocks.Where(b => b.Type == "paragraph"))
        {
            var masked = QuoteSpans.Mask(block.Text, QuoteSpans.Find(block.Text, false, out _));
            foreach (Match m in OrgName().Matches(masked))
            {
                if (SpeakerPhrases.LinkedOrganisation(m.Value) is { } linked)
                {
                    if (Find(linked) is null) registry.Add(new StoryEntity { Name = linked, IsOrganization = true });
                    continue;
                }
                var tokens = m.Value.Split(' ');
                var headed = Lexicon.OrgHeads.Contains(tokens[0]) && tokens.Length >= 2;
                var tailed = Lexicon.OrgTails.Contains(tokens[^1]) && tokens.Length >= 2 && !Lexicon.RoleWords.Contains(tokens[0]);
                if ((headed || tailed) && Find(m.Value) is null)
                    registry.Add(new StoryEntity { Name = m.Value, IsOrganization = true });
            }
        }
    }

    private void FindLeadEntity(string masked, int start)
    {
        var m = LeadAppositive().Match(masked[start..]);
        if (!m.Success) return;
        var name = m.Groups["name"].Value;
        var role = m.Groups["role"].Value.Trim();
        var isOrg = SpeakerPhrases.IsOrganisationRole(role) || Lexicon.OrgTails.Contains(name.Split(' ')[^1]) || name.Split(' ').Length == 1;
        if (!isOrg) return;
        leadEntity = FindOrAdd(name, true, null);
        leadEntity.Role ??= role;
    }

    private void RegisterAppositives(SentenceContext ctx)
    {
        var narrative = ctx.Narrative;
        // "role, Name Surname," : at each ", " before a capital, the role is the stretch since the previous comma.
        for (var comma = narrative.IndexOf(", ", StringComparison.Ordinal); comma >= 0; comma = narrative.IndexOf(", ", comma + 1, StringComparison.Ordinal))
        {
            if (comma + 2 >= narrative.Length || !char.IsUpper(narrative[comma + 2])) continue;
            var m = AppositiveName().Match(narrative, comma + 2);
            if (!m.Success) continue;
            var previous = narrative.LastIndexOfAny([',', '_', '"', '“', '”'], comma - 1 < 0 ? 0 : comma - 1);
            var roleStart = Math.Max(previous + 1, comma - 100);
            if (comma - roleStart < 2) continue;
            var name = m.Groups["name"].Value;
            var tokens = name.Split(' ');
            if (!tokens.All(SpeakerPhrases.IsNameToken) || Lexicon.RoleWords.Contains(tokens[0]) || Lexicon.OrgHeads.Contains(tokens[0])) continue;
            var rolePart = narrative[roleStart..comma];
            var roleWords = rolePart.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(roleWords, w => Lexicon.RoleWords.Contains(w) && !Lexicon.Honorifics.Contains(w));
            if (at < 0) continue;
            var entity = FindOrAdd(name, false, null);
            entity.Role ??= string.Join(' ', roleWords[at..]);
        }
        // "rider Sanne Vermeulen", "judge Eleanor Whitfield": a name right after a job title.
        foreach (Match m in language == "en" ? TitledName().Matches(ctx.Narrative) : Enumerable.Empty<Match>())
        {
            var follow = ctx.Narrative[(m.Index + m.Length)..];
            if (follow.StartsWith(',') || Pattern13.IsMatch(follow)) continue;
            if (!Lexicon.RoleWords.Contains(m.Groups["role"].Value) || Lexicon.Honorifics.Contains(m.Groups["role"].Value)) continue;
            var tokens = m.Groups["name"].Value.Split(' ');
            if (!tokens.All(SpeakerPhrases.IsNameToken) || Lexicon.RoleWords.Contains(tokens[0]) || Lexicon.OrgHeads.Contains(tokens[0]) || Lexicon.OrgTails.Contains(tokens[^1])) continue;
            if (Find(m.Groups["name"].Value) is null) FindOrAdd(m.Groups["name"].Value, false, null);
        }
    }
}
