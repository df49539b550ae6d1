using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

/// <summary>What an attribution phrase says: who (a name, an organisation, a description, a pronoun), as what, where, via whom.</summary>
public sealed record SpeakerPhrase
{
    public string? Name { get; init; }
    public string? Honorific { get; init; }
    public bool IsOrganization { get; init; }
    public bool IsPronoun { get; init; }
    /// <summary>A description standing for someone already named ("the company", "Pejabat Gedung Putih tersebut").</summary>
    public string? Descriptor { get; init; }
    /// <summary>An unnamed speaker's description ("seorang pejabat yang enggan disebut namanya").</summary>
    public string? Unnamed { get; init; }
    public string? Role { get; init; }
    public string? Source { get; init; }
    public string? Occasion { get; init; }

    public bool IsEmpty => Name is null && !IsPronoun && Descriptor is null && Unnamed is null;
}

/// <summary>Reads attribution phrases: "Penasihat Keamanan Nasional AS Jake Sullivan kepada wartawan ... seperti dikutip AFP".</summary>
public static partial class SpeakerPhrases
{
    public static SpeakerPhrase Parse(string phrase)
    {
        var p = phrase.Trim().Trim(',', ':', ' ');
        string? source = null;
        var cite = Cite().Match(p);
        if (cite.Success && IsOutletName(cite.Groups["o"].Value))
        {
            source = KnownOutlets.Canonical(cite.Groups["o"].Value).Name;
            p = p.Remove(cite.Index, cite.Length);
        }
        if (source is null)
        {
            foreach (Match m in ToOutlet().Matches(p))
            {
                if (!IsOutletName(m.Groups["o"].Value)) continue;
                source = KnownOutlets.Canonical(m.Groups["o"].Value).Name;
                p = p.Remove(m.Index, m.Length);
                break;
            }
        }
        string? occasion = null;
        var occ = Occasion().Match(p);
        if (occ.Success)
        {
            occasion = Pattern0.Replace(occ.Value, "").Trim().TrimEnd(',', '.');
            if (occasion.Length == 0) occasion = null;
        }

        // "Media New York Times mengutip pejabat AS ...": the outlet is the channel, the cited people the speaker.
        var quoting = Pattern1.Match(p);
        if (quoting.Success && IsOutletName(quoting.Groups["o"].Value))
        {
            source ??= KnownOutlets.Canonical(quoting.Groups["o"].Value).Name;
            p = quoting.Groups["who"].Value;
        }
        var via = Pattern2.Match(p);
        if (via.Success && p.IndexOf(',', via.Index) > 0)
            p = p[(via.Index + via.Length)..];

        var demonstrative = Pattern3.IsMatch(p);
        if (Lexicon.Anonymous().IsMatch(p) || (Lexicon.UnnamedDescription().IsMatch(p) && !HasNameRun(p) && !demonstrative))
            return new SpeakerPhrase { Unnamed = Describe(p), Source = source, Occasion = occasion };

        if (demonstrative && !Lexicon.Anonymous().IsMatch(p))
            return new SpeakerPhrase { Descriptor = p, Source = source, Occasion = occasion };

        var parts = p.Split(',').Select(x => Cut(x.Trim())).Where(x => x.Length > 0 && !Age().IsMatch(x)).ToList();
        // "on Tuesday", "sebelumnya": only when, nobody who; not a pronoun standing for the last speaker either.
        if (parts.Count == 0 && TrailingAdverbs().Match(p) is { Success: true, Index: 0 })
            return new SpeakerPhrase { Descriptor = p, Source = source, Occasion = occasion };
        if (parts.Count == 0)
            return new SpeakerPhrase { IsPronoun = true, Source = source, Occasion = occasion };
        if (parts.Count == 1 && Lexicon.IsPronoun(parts[0]))
            return new SpeakerPhrase { IsPronoun = true, Source = source, Occasion = occasion };

        // An organisation by name: "PT Kertas Rimba Lestari", "Pemerintah kabupaten", "Southern Alps Cycling", "the Bank of England".
        foreach (var part in parts)
        {
            if (LinkedOrganisation(part) is { } linked)
                return new SpeakerPhrase { Name = linked, IsOrganization = true, Source = source, Occasion = occasion, Role = OtherRole(parts, part) };
            var tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0 && char.IsUpper(tokens[0][0]) && Lexicon.OrgHeads.Contains(tokens[0]) && tokens.Length <= 8)
                return new SpeakerPhrase { Name = part, IsOrganization = true, Source = source, Occasion = occasion, Role = OtherRole(parts, part) };
        }

        // A part that is a name and nothing else: "Kepala Dinas X, Yayan Suryana", "Sumiati (44)".
        foreach (var part in parts)
        {
            var clean = StripAge(part);
            var tokens = clean.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            string? honorific = null;
            while (tokens.Count > 1 && Lexicon.Honorifics.Contains(tokens[0])) { honorific = tokens[0]; tokens.RemoveAt(0); }
            if (tokens.Count is >= 1 and <= 4 && tokens.All(IsNameToken) && !Lexicon.RoleWords.Contains(tokens[0]))
            {
                var name = string.Join(' ', tokens);
                var org = Lexicon.OrgTails.Contains(tokens[^1]) || OtherRole(parts, part) is { } r && IsOrganisationRole(r);
                return new SpeakerPhrase { Name = name, Honorific = honorific, IsOrganization = org, Role = OtherRole(parts, part), Source = source, Occasion = occasion };
            }
        }

        // A name after its role, no comma: "Tribunal judge Eleanor Whitfield", "juru bicara Kremlin Dmitry Peskov".
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            var runs = NameRuns(parts[i]);
            var best = runs.LastOrDefault(r => r.Tokens.Count >= 2) ?? runs.LastOrDefault();
            if (best is null) continue;
            var tokens = best.Tokens;
            string? honorific = null;
            while (tokens.Count > 1 && Lexicon.Honorifics.Contains(tokens[0])) { honorific = tokens[0]; tokens = tokens[1..]; }
            var prefix = parts[i][..best.Index].Trim();
            if (tokens.Count >= 3 && prefix.Length > 0 && !Lexicon.RoleWords.Contains(tokens[0]))
            {
                tokens = tokens[^2..];
                // "Menteri Perdagangan Budi Santoso": the capitalised words left before the name belong to the role.
                var at = parts[i].IndexOf(string.Join(' ', tokens), best.Index, StringComparison.Ordinal);
                if (at > 0) prefix = parts[i][..at].Trim();
            }
            var role = prefix.Length > 0 ? prefix : OtherRole(parts, parts[i]);
            if (tokens.Count == 1 && Lexicon.UnnamedDescription().IsMatch(tokens[0]) && honorific is null)
                return new SpeakerPhrase { Unnamed = tokens[0], Source = source, Occasion = occasion };
            var org = Lexicon.OrgTails.Contains(tokens[^1]);
            return new SpeakerPhrase { Name = string.Join(' ', tokens), Honorific = honorific, IsOrganization = org, Role = role, Source = source, Occasion = occasion };
        }

        var first = parts[0];
        if (Lexicon.UnnamedDescription().IsMatch(first))
            return new SpeakerPhrase { Unnamed = Describe(first), Source = source, Occasion = occasion };
        return new SpeakerPhrase { Descriptor = first, Source = source, Occasion = occasion };
    }

    /// <summary>"The race organiser", "the Taiwanese smartphone maker": a description of an organisation, not of a person's job.</summary>
    public static bool IsOrganisationRole(string role)
    {
        var words = role.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Any(w => Lexicon.OrgNouns.Contains(w)) && !words.Any(w => Lexicon.RoleWords.Contains(w));
    }

    /// <summary>
    /// An organisation's name joined by lowercase linking words ("the Bank of England", "Ministry of Trade and Industry",
    /// "Office for Budget Responsibility"), without a leading "the", when the whole text is one: the capitalised words
    /// before the first link must name a kind of organisation, so "Secretary of State" stays a role. "and the" joins two
    /// organisations, not one name.
    /// </summary>
    public static string? LinkedOrganisation(string text)
    {
        var m = LinkedName().Match(text.Trim());
        if (!m.Success) return null;
        var head = m.Groups["head"].Value.Split(' ');
        return head.Any(w => Lexicon.OrgHeads.Contains(w) || Lexicon.OrgTails.Contains(w)) && !Lexicon.RoleWords.Contains(head[0]) ? m.Groups["name"].Value : null;
    }

    public static bool IsOutletName(string written)
    {
        var w = written.Trim();
        if (KnownOutlets.Find(w) is not null) return true;
        return KnownOutlets.Descriptors.Any(d => w.StartsWith(d + " ", StringComparison.OrdinalIgnoreCase)) && w.Length < 60
            && KnownOutlets.Clean(w) is { Length: > 1 } c && char.IsUpper(c[0]);
    }

    /// <summary>The name runs of a phrase: capitalised words in a row, leading role words dropped.</summary>
    public static List<NameRun> NameRuns(string text)
    {
        var runs = new List<NameRun>();
        var matches = Token().Matches(text).ToList();
        var i = 0;
        while (i < matches.Count)
        {
            if (!IsNameToken(matches[i].Value) && !Lexicon.Honorifics.Contains(matches[i].Value)) { i++; continue; }
            var j = i;
            var tokens = new List<string>();
            while (j < matches.Count && (IsNameToken(matches[j].Value) || Lexicon.Honorifics.Contains(matches[j].Value)) && (j == i || Adjacent(text, matches[j - 1], matches[j])))
            {
                tokens.Add(matches[j].Value);
                j++;
            }
            var start = i;
            // "Kombes Pol Teddy Marbun": a rank inside the run ends the title; the name follows it.
            var lastRank = tokens.FindLastIndex(t => Lexicon.Honorifics.Contains(t) || IsTitleWord(t));
            if (lastRank >= 0 && lastRank < tokens.Count - 1)
            {
                start += lastRank + 1;
                tokens = tokens[(lastRank + 1)..];
            }
            // Leading role words ("Mayor Hiroshi Tanabe") and sentence-opening adjectives ("Second-placed") are not the name.
            while (tokens.Count > 1 && (Lexicon.RoleWords.Contains(tokens[0]) && !Lexicon.Honorifics.Contains(tokens[0]) || tokens[0].Contains('-') && start == 0))
            {
                tokens.RemoveAt(0);
                start++;
            }
            if (tokens.Count > 0 && !(tokens.Count == 1 && (Lexicon.RoleWords.Contains(tokens[0]) || Lexicon.Honorifics.Contains(tokens[0]))))
            {
                if (!Lexicon.OrgHeads.Contains(tokens[0]) && !Lexicon.NotNames.Contains(tokens[0]))
                    runs.Add(new NameRun(matches[start].Index, tokens));
            }
            i = Math.Max(j, i + 1);
        }
        return runs;
    }

    public sealed record NameRun(int Index, List<string> Tokens);

    private static bool Adjacent(string text, Match a, Match b) => text.AsSpan(a.Index + a.Length, b.Index - a.Index - a.Length).Trim().Length == 0;

    /// <summary>Indonesian titles built as one word: Kapolres, Kapolrestabes, Kasatreskrim, Kadis, Kabid, Kasubag.</summary>
    private static bool IsTitleWord(string t) =>
        Lexicon.RoleWords.Contains(t) && !char.IsLower(t[0]) || Pattern4.IsMatch(t);

    public static bool IsNameToken(string t)
    {
        if (t.Length == 0 || !char.IsUpper(t[0])) return false;
        if (t.EndsWith("'s") || t.EndsWith("’s")) return false;
        if (Lexicon.NotNames.Contains(t)) return false;
        var letters = t.Where(char.IsLetter).ToList();
        if (letters.Count >= 2 && letters.All(char.IsUpper)) return false; // an acronym: AS, DPR, BPBD
        return letters.Count > 0;
    }

    private static bool HasNameRun(string p) => NameRuns(p).Any(r => r.Tokens.Count >= 2);

    private static string? OtherRole(List<string> parts, string namePart)
    {
        foreach (var part in parts)
        {
            if (ReferenceEquals(part, namePart) || part == namePart) continue;
            if (Pattern5.IsMatch(part)) continue;
            return part.Trim();
        }
        return null;
    }

    private static string Describe(string p)
    {
        var d = Pattern6.Replace(p, "");
        d = Pattern7.Replace(d, "").Trim();
        return d.Length > 0 ? d : p.Trim();
    }

    private static string Cut(string part)
    {
        var m = CutWords().Match(part);
        var cut = (m.Success ? part[..m.Index] : part).Trim();
        // "Bank Indonesia sebelumnya", "Kementerian Perdagangan juga", "Greywater Steel also", "BPS Senin (6/5)": words
        // after a name that say when, again or too are not the name; a part made only of them ("Senin (6/5)") is dropped.
        cut = TrailingAdverbs().Replace(cut, "").Trim();
        // "Marsudi lirih": trailing lowercase words after a name are manner, not name or role.
        if (NameRuns(cut).Count > 0)
        {
            var words = cut.Split(' ').ToList();
            while (words.Count > 1 && words[^1].Length > 0 && char.IsLower(words[^1][0]) && IsNameToken(words[^2].TrimEnd(')')) is true) words.RemoveAt(words.Count - 1);
            cut = string.Join(' ', words);
        }
        return cut;
    }

    public static string StripAge(string part) => Pattern8.Replace(part, "").Trim();

    // Patterns used once each, built once: the static Regex methods cache only the last 15 patterns.
    private static readonly Regex Pattern0 = new(@"\s+(seperti|sebagaimana)\b.*$", RegexOptions.None);
    private static readonly Regex Pattern1 = new(@"^(?<o>.+?)\s+(mengutip|quoting|citing)\s+(?<who>.+)$", RegexOptions.None);
    private static readonly Regex Pattern2 = new(@"\s+(melalui|lewat|through)\s+", RegexOptions.None);
    private static readonly Regex Pattern3 = new(@"\s(tersebut|itu|ini)$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern4 = new("^(Kapol|Kasat|Kadis|Kabid|Kasubag|Kasi|Kabag|Kanit|Danrem|Dandim|Pangdam)", RegexOptions.None);
    private static readonly Regex Pattern5 = new(@"^(yang|who|which|dan|and|tetapi|but)\b", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern6 = new(@"^(seorang|salah seorang|salah satu|a|an|one)\s+", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern7 = new(@"\s+(yang|who|which)\b.*$|,.*$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern8 = new(@"\s*\(\d{1,3}\)\s*$", RegexOptions.None);

    [GeneratedRegex(@"[\p{L}][\p{L}\p{M}'’.\-]*")] private static partial Regex Token();
    [GeneratedRegex(@"^(?:[Tt]he\s+)?(?<name>(?<head>[\p{Lu}][\p{L}\p{M}'’.&-]*(?:\s+[\p{Lu}][\p{L}\p{M}'’.&-]*)*)(?:\s+(?:(?:of|for|on)(?:\s+the)?|and)\s+[\p{Lu}][\p{L}\p{M}'’.&-]*(?:\s+[\p{Lu}][\p{L}\p{M}'’.&-]*)*)+)$")] private static partial Regex LinkedName();
    [GeneratedRegex(@"^\(?\d{1,3}\)?$")] private static partial Regex Age();
    // Lowercase adverbs only (a capitalised word could be a surname), and day names with their date and part of day.
    [GeneratedRegex(@"(?:^|\s+)(?:(?:" + Adverbs + ")|" + TimeWords + @")(?:\s+(?:(?:" + Adverbs + ")|" + TimeWords + @"))*\s*$")] private static partial Regex TrailingAdverbs();

    private const string Adverbs =
        "sebelumnya|kemarin|kemudian|juga|pun|lagi|sendiri|pula|kembali|telah|sudah|pernah|masih|akan|sempat|lantas|lalu|segera|langsung"
        + "|akhirnya|justru|bahkan|malah|memang|kini|sekarang|semalam|tadi|terus|tetap|selalu|kerap|sering|sementara itu|secara terpisah"
        + "|also|earlier|previously|later|again|yesterday|today|tonight|then|however|too|recently|separately|meanwhile|once|since"
        + "|has|had|have|would|will|himself|herself|itself|themselves|last (?:week|month|year|night)|this (?:week|month|year|morning)";

    private const string TimeWords =
        @"(?:(?:pada|on)\s+)?(?:hari\s+)?(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        + @"(?:\s*\([\d/]+\))?(?:\s+(?:pagi|siang|sore|malam|lalu|ini|kemarin|morning|afternoon|evening|night))?"
        + @"|\([\d/]+\)|(?:hari|pekan|minggu|bulan|tahun)\s+(?:ini|lalu)|(?:pagi|siang|sore|malam)\s+(?:ini|tadi)|tadi\s+(?:pagi|siang|sore|malam)";
    [GeneratedRegex(@"(?:(?:seperti|sebagaimana)\s+)?(?:dikutip|dilansir|diberitakan|mengutip|melansir)\s+(?:dari\s+|oleh\s+)?(?<o>(?:kantor berita|media|harian|surat kabar|majalah|stasiun televisi)?\s*[\p{Lu}][\p{L}.]*(?:\s[\p{Lu}][\p{L}.]*){0,3})", RegexOptions.IgnoreCase)] private static partial Regex Cite();
    [GeneratedRegex(@"\b(?:kepada|told|to|with)\s+(?<o>(?:the\s+)?(?:kantor berita|media|harian|surat kabar|majalah|stasiun televisi|news agency|broadcaster)?\s*[\p{Lu}][\p{L}.]*(?:\s[\p{Lu}][\p{L}.]*){0,3})")] private static partial Regex ToOutlet();
    [GeneratedRegex(@"(?:kepada\s+(?:para\s+)?(?:wartawan|awak media|jurnalis|media|reporter)[^,.]*|told reporters[^,.]*|in a (?:separate )?statement[^,.]*|in an interview[^,.]*|dalam (?:keterangan|pernyataan|konferensi pers|wawancara|laporan|amar)[^,.]*|saat [^,.]+|ketika [^,.]+|outside [^,.]+|di sela [^,.]+)", RegexOptions.IgnoreCase)] private static partial Regex Occasion();
    [GeneratedRegex(@"\s(?:kepada|seperti|sebagaimana|saat|ketika|sambil|dengan|usai|seusai|setelah|sebelum|dalam|yang|who|which|in a|in an|in the|outside|at the|during|after|before|when|while|via|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|di sela|kemarin|pada)\b")] private static partial Regex CutWords();
}
