using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

/// <summary>
/// Finds the quotes of a story and who said them, through what outlet. Pure: lines in, a proposal out; no database,
/// no HTTP. One instance per story (it keeps the story's running state: who is speaking, which outlet frames it).
/// </summary>
public sealed partial class StoryExtractor
{
    private const int MaxSentence = 3000;
    private readonly List<StoryEntity> registry = [];
    private readonly List<ExtractedQuote> quotes = [];
    private readonly List<StoryWarning> warnings = [];
    private readonly List<string> sources = [];
    private readonly List<ExtractedQuote> awaitingCue = [];
    private readonly HashSet<ExtractedQuote> awaitNext = [];
    private int clock;
    private StoryEntity? current;
    private string? storyFrame;
    private string? sectionFrame;
    private StoryEntity? leadEntity;
    private string language = "id";

    public static StoryExtraction Extract(IReadOnlyList<string> lines, string? title = null, string? language = null) =>
        new StoryExtractor().Run(lines, title, language);

    private StoryExtraction Run(IReadOnlyList<string> lines, string? givenTitle, string? givenLanguage)
    {
        var kept = new List<string>();
        foreach (var line in lines)
        {
            if (StoryText.LeftoverKind(line) is { } kind)
                warnings.Add(new StoryWarning("leftover_dropped", $"Left out a web-page leftover ({kind}): \"{Shorten(line)}\"."));
            else
                kept.Add(line);
        }

        string? titleLine = null;
        if (givenTitle is not null)
        {
            if (kept.Count > 1 && kept[0].Trim() == givenTitle.Trim()) { titleLine = kept[0]; kept.RemoveAt(0); }
        }
        else if (kept.Count > 1 && StoryText.IsShortUnpunctuated(kept[0], 20) && char.IsUpper(kept[0].TrimStart()[0]))
        {
            titleLine = kept[0];
            kept.RemoveAt(0);
        }

        var blocks = new List<StoryBlock>();
        for (var i = 0; i < kept.Count; i++)
        {
            var line = kept[i];
            var heading = i > 0 && i < kept.Count - 1 && blocks[^1].Type == "paragraph" && StoryText.IsShortUnpunctuated(line, 10)
                          && char.IsUpper(line.TrimStart()[0]) && !line.Any(QuoteSpans.IsMark);
            blocks.Add(new StoryBlock(heading ? "heading" : "paragraph", line));
        }

        language = givenLanguage ?? DetectLanguage(kept);
        var title = givenTitle?.Trim() ?? titleLine?.Trim();
        var titleFromStory = title is not null;
        if (title is null)
        {
            title = ProposeTitle(blocks);
            warnings.Add(new StoryWarning("title_proposed", "The story has no title line; the title was proposed from the lead. Check it."));
        }

        ScanOrganisations(blocks);
        var runningOn = false;
        for (var b = 0; b < blocks.Count; b++)
        {
            if (blocks[b].Type == "heading")
            {
                sectionFrame = null;
                runningOn = false;
                continue;
            }
            var text = blocks[b].Text;
            var spans = QuoteSpans.Find(text, runningOn, out var unbalanced);
            var nextOpens = b + 1 < blocks.Count && blocks[b + 1].Text.TrimStart() is { Length: > 0 } n && QuoteSpans.IsMark(n[0]);
            var endsOpen = spans.Count > 0 && spans[^1].Unclosed;
            if (unbalanced || (endsOpen && !nextOpens && !NextContinues(blocks, b)))
                warnings.Add(new StoryWarning("unbalanced_quotes", "Quotation marks in this paragraph do not pair up; the text is kept as given, check the quotes found in it.", b));
            ProcessParagraph(b, text, spans, b == FirstParagraph(blocks));
            runningOn = endsOpen;
        }

        ResolveAwaitingNext();
        var titleQuotes = titleLine is null ? [] : TitleQuotes(titleLine);
        var all = titleQuotes.Concat(quotes).ToList();
        foreach (var q in all.Where(q => q.Speaker is { Unnamed: true } || q.Speaker is null))
            warnings.Add(new StoryWarning("unnamed_speaker",
                $"No named speaker for \"{Shorten(q.Text)}\"{(q.SpeakerRole is null ? "" : $" ({q.SpeakerRole})")}; it is not stored as a quote.", q.Block));
        foreach (var q in all.Where(q => q.Speaker is not null)) q.Speaker!.Speaks = true;

        var entities = registry.Where(e => !e.Unnamed && (e.Speaks || !e.IsOrganization)).ToList();
        return new StoryExtraction(language, title, titleFromStory, blocks, all, entities, sources, warnings);
    }

    private static int FirstParagraph(List<StoryBlock> blocks) => blocks.FindIndex(b => b.Type == "paragraph");

    private static bool NextContinues(List<StoryBlock> blocks, int b)
    {
        if (b + 1 >= blocks.Count || blocks[b + 1].Type != "paragraph") return false;
        var next = blocks[b + 1].Text;
        var spans = QuoteSpans.Find(next, true, out _);
        return spans.Count > 0 && spans[0].NoOpen;
    }

    private void ProcessParagraph(int b, string text, List<QuoteSpan> spans, bool lead)
    {
        var masked = QuoteSpans.Mask(text, spans);
        var start = 0;
        if (lead)
        {
            if (StoryText.AgencyDateline(text) is { } dateline)
            {
                storyFrame = AddSource(dateline.Agency);
                start = dateline.Length;
            }
            else
            {
                start = StoryText.PublisherDatelineLength(text);
            }
        }
        if (lead) FindLeadEntity(masked, start);

        foreach (var (s, e) in Sentences(text, masked, start))
        {
            var sentenceSpans = spans.Where(x => x.From >= s && x.From < e).ToList();
            var ctx = new SentenceContext(b, text, masked, s, e, sentenceSpans);
            foreach (var org in registry.Where(o => o.IsOrganization && ctx.Narrative.Contains(o.Name, StringComparison.Ordinal)))
                org.LastSeen = ++clock;
            ProcessNarrative(ctx);
            foreach (var span in sentenceSpans)
                ProcessSpan(ctx, span, spans);
            if (e - s <= MaxSentence) RegisterAppositives(ctx);
        }
        // A quote waiting for its attribution waits one paragraph at most.
        awaitingCue.RemoveAll(q => q.Block < b);
    }

    private sealed record SentenceContext(int Block, string Text, string Masked, int Start, int End, List<QuoteSpan> Spans)
    {
        public string Narrative => Masked[Start..End];
        public ExtractedQuote? Indirect { get; set; }
        public (int Start, int End)? IndirectClause { get; set; }
        public SpeakerPhrase? PreCue { get; set; }
        public string? PreCueText { get; set; }
        public string? OwnSource { get; set; }
    }

    // ---- narrative: reported speech, frames, who the story is about -------------------------------------------------

    private void ProcessNarrative(SentenceContext ctx)
    {
        var n = ctx.Narrative;
        // No sentence of a story runs this long; a pasted blob without stops would only make the patterns backtrack.
        if (n.Length > MaxSentence) return;
        var offset = ctx.Start;
        var lead = n.Length - n.TrimStart().Length;
        var body = n[lead..];
        offset += lead;

        // "Dilansir Reuters, ...", "Dikutip dari Antara, ...": an outlet framing the sentence.
        string? framed = null;
        var frame = FrameStart().Match(body);
        if (frame.Success && SpeakerPhrases.IsOutletName(frame.Groups["o"].Value))
        {
            framed = AddSource(frame.Groups["o"].Value);
            body = body[frame.Length..];
            offset += frame.Length;
            var date = LeadingDate().Match(body);
            if (date.Success) { body = body[date.Length..]; offset += date.Length; }
        }
        var according = AccordingToEnd().Match(body);
        if (according.Success && SpeakerPhrases.IsOutletName(according.Groups["o"].Value))
        {
            framed = AddSource(according.Groups["o"].Value);
            body = body[..according.Index];
        }
        ctx.OwnSource = framed;

        var found = FindIndirect(ctx, body, offset);
        if (framed is not null)
        {
            if (found is null && !ctx.Spans.Any()) sectionFrame = framed;
        }

        if (found is null)
        {
            TrackSubject(ctx, body);
            NextSentenceCue(ctx, body);
        }
    }

    private ExtractedQuote? FindIndirect(SentenceContext ctx, string body, int offset)
    {
        var stripped = StripFraming(body, out var skipped);
        var baseOffset = offset + skipped;

        // Menurut X, ... / According to X, ...
        var menurut = Menurut().Match(stripped);
        if (menurut.Success)
        {
            var subj = menurut.Groups["subj"].Value;
            if (SpeakerPhrases.IsOutletName(subj))
            {
                sectionFrame = AddSource(subj);
                return null;
            }
            var phrase = menurut.Groups["nya"].Success && subj.Trim().Length == 0 ? new SpeakerPhrase { IsPronoun = true } : SpeakerPhrases.Parse(subj);
            var clause = menurut.Groups["clause"];
            return MakeIndirect(ctx, phrase, baseOffset + clause.Index, clause.Length, stripped[..clause.Index].Trim().TrimEnd(','));
        }

        // ..., kata X. / ..., X said. (The patterns backtrack over the sentence: look for a cue word first.)
        var trailing = TrailingIdHint().IsMatch(stripped) ? TrailingIdCue().Match(stripped) : Match.Empty;
        if (!trailing.Success && TrailingEnHint().IsMatch(stripped)) trailing = TrailingEnCue().Match(stripped);
        if (trailing.Success && !trailing.Groups["clause"].Value.Contains('_'))
        {
            var subj = trailing.Groups["subj"].Value;
            var nya = trailing.Groups["nya"].Success && trailing.Groups["nya"].Length > 0;
            var phrase = nya || Lexicon.IsPronoun(subj) ? new SpeakerPhrase { IsPronoun = true } : SpeakerPhrases.Parse(subj);
            if (!phrase.IsEmpty && (phrase.Name is not null || phrase.IsPronoun || phrase.Unnamed is not null || ResolveDescriptor(phrase.Descriptor!) is not null))
            {
                var clause = trailing.Groups["clause"];
                return MakeIndirect(ctx, phrase, baseOffset + clause.Index, clause.Length, trailing.Groups["cue"].Value.Trim());
            }
        }

        // X mengatakan (bahwa) ... / X said (that) ...
        foreach (Match verb in SpeechVerb().Matches(stripped))
        {
            var subject = stripped[..verb.Index].Trim().TrimEnd(',').Trim();
            if (subject.Length == 0 || subject.Contains('_') || subject.Any(QuoteSpans.IsMark)) return null;
            if (Pattern0.IsMatch(subject)) continue;
            if (subject.Split(' ').Length > 30) return null;
            var rest = stripped[(verb.Index + verb.Length)..];
            var restOffset = verb.Index + verb.Length;
            string? objectSource = null;
            if (verb.Value is "told")
            {
                var obj = ToldObject().Match(rest);
                if (!obj.Success) continue;
                if (SpeakerPhrases.IsOutletName(obj.Groups["o"].Value)) objectSource = AddSource(obj.Groups["o"].Value);
                rest = rest[obj.Length..];
                restOffset += obj.Length;
            }
            var conj = Conjunction().Match(rest);
            int clauseStart;
            string middle = "";
            if (conj.Success)
            {
                middle = conj.Groups["mid"].Value;
                clauseStart = restOffset + conj.Length;
            }
            else
            {
                var lead = LeadingComma().Match(rest);
                clauseStart = restOffset + lead.Length;
            }
            var clauseText = stripped[clauseStart..];
            if (clauseText.TrimStart().Length == 0 || QuoteSpans.IsMark(clauseText.TrimStart()[0]) || clauseText.TrimStart()[0] == '_')
            {
                // "X mengatakan: "..."": the speaker of the quote that follows.
                ctx.PreCue = SpeakerPhrases.Parse(subject + " " + middle);
                ctx.PreCueText = stripped[..clauseStart].Trim();
                return null;
            }
            if (Pattern1.IsMatch(clauseText)) continue;
            var phrase = SpeakerPhrases.Parse(subject + (middle.Length > 0 ? " " + middle : ""));
            if (objectSource is not null) phrase = phrase with { Source = objectSource };
            if (phrase.IsEmpty) return null;
            if (phrase.Descriptor is not null && ResolveDescriptor(phrase.Descriptor) is null) return null;
            var cue = stripped[..clauseStart].Trim();
            return MakeIndirect(ctx, phrase, baseOffset + clauseStart, stripped.Length - clauseStart, cue);
        }
        return null;
    }

    private ExtractedQuote? MakeIndirect(SentenceContext ctx, SpeakerPhrase phrase, int start, int length, string cue)
    {
        var end = start + length;
        // Trim the clause: spaces, the sentence's final stop, and a trailing cue ("..., kata X").
        while (end > start && char.IsWhiteSpace(ctx.Text[end - 1])) end--;
        if (end > start && ctx.Masked[end - 1] is '.' or '!' or '?' or ';' or ':') end--;
        while (start < end && char.IsWhiteSpace(ctx.Text[start])) start++;
        if (end - start < 8) return null;
        var text = ctx.Text[start..end];
        if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 3) return null;
        // Mostly a direct quote: the direct span carries it.
        var quoted = ctx.Masked[start..end].Count(c => c == '_');
        if (quoted > (end - start) * 4 / 5) return null;

        var speaker = Resolve(phrase);
        var quote = new ExtractedQuote
        {
            Text = text, Type = "indirect", Block = ctx.Block, Start = start, End = end, Cue = cue.Length > 0 ? cue : null,
            Speaker = speaker, SpeakerRole = RoleOf(phrase, speaker), Occasion = phrase.Occasion,
        };
        SetSource(quote, phrase.Source ?? ctx.OwnSource, speaker);
        quotes.Add(quote);
        current = speaker ?? current;
        ctx.Indirect = quote;
        ctx.IndirectClause = (start, end);
        return quote;
    }

    private void TrackSubject(SentenceContext ctx, string body)
    {
        var stripped = StripFraming(body, out _);
        if (Lexicon.Anonymous().IsMatch(stripped) && Lexicon.UnnamedDescription().IsMatch(stripped))
        {
            var phrase = SpeakerPhrases.Parse(stripped.Split(',')[0]);
            current = NewUnnamed(phrase.Unnamed ?? stripped.Split(',')[0]);
            return;
        }
        // "Marsudi (58), petani di ..., menunjukkan ...": the sentence is about Marsudi.
        var first = stripped.Split(',')[0].Trim();
        var clean = SpeakerPhrases.StripAge(first);
        if (clean != first || stripped.Contains(',') && clean.Split(' ').Length <= 3)
        {
            var tokens = clean.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length is >= 1 and <= 3 && tokens.All(SpeakerPhrases.IsNameToken) && !Lexicon.RoleWords.Contains(tokens[0]) && !Lexicon.OrgHeads.Contains(tokens[0])
                && (tokens.Length > 1 || clean != first || Find(tokens[0]) is not null))
                current = Resolve(new SpeakerPhrase { Name = clean });
        }
    }

    private void NextSentenceCue(SentenceContext ctx, string body)
    {
        var m = NextCue().Match(body.TrimStart());
        if (!m.Success || awaitingCue.Count == 0) return;
        var phrase = SpeakerPhrases.Parse(m.Groups["subj"].Value);
        var speaker = Resolve(phrase);
        var cue = Pattern2.Replace(m.Value, "").Trim().TrimEnd(',', '.');
        foreach (var q in awaitingCue)
        {
            q.Speaker = speaker;
            q.SpeakerRole = RoleOf(phrase, speaker);
            q.Cue = cue;
            q.Occasion ??= phrase.Occasion;
            SetSource(q, phrase.Source, speaker);
        }
        awaitingCue.Clear();
        current = speaker ?? current;
    }

    // ---- direct quotes ---------------------------------------------------------------------------------------------

    private void ProcessSpan(SentenceContext ctx, QuoteSpan span, List<QuoteSpan> paragraphSpans)
    {
        var text = ctx.Text[span.Start..span.End];
        if (text.Trim().Length == 0) return;
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var before = ctx.Masked[ctx.Start..span.From].Trim();
        var nextSpan = paragraphSpans.FirstOrDefault(x => x.From > span.From);
        var afterEnd = nextSpan?.From ?? ctx.Text.Length;
        var after = span.Unclosed ? "" : ctx.Masked[span.To..afterEnd];
        var startish = before.Length == 0 || before.EndsWith(':') || span.NoOpen;

        var post = after.Length > 0 ? PostCue(after) : null;

        if (!startish && post is null)
        {
            // Inside a sentence: a phrase quoted in reported speech (partial), else a title, name or scare quote.
            if (ctx.IndirectClause is { } clause && span.From >= clause.Start && span.To <= clause.End + 1 && !LooksLikeName(ctx, span, text, words))
            {
                var speaker = ctx.Indirect!.Speaker;
                var q = new ExtractedQuote
                {
                    Text = text, Type = "partial", Block = ctx.Block, Start = span.Start, End = span.End, Cue = ctx.Indirect.Cue,
                    Speaker = speaker, SpeakerRole = ctx.Indirect.SpeakerRole, Source = ctx.Indirect.Source, OwnSource = ctx.Indirect.OwnSource,
                };
                quotes.Add(q);
            }
            return;
        }
        if (post is null && !span.NoOpen && words.Length <= 4 && words.All(w => w.Length > 0 && (char.IsUpper(w[0]) || !char.IsLetter(w[0]))) && !Pattern3.IsMatch(text))
            return; // "Laut Utara" itu ...: a title, not words anyone said

        var quote = new ExtractedQuote { Text = text, Type = "direct", Block = ctx.Block, Start = span.Start, End = span.End };
        SpeakerPhrase? phrase = null;
        if (post is not null)
        {
            phrase = post.Value.Phrase;
            quote.Cue = post.Value.Cue;
        }
        else if (ctx.PreCue is not null && before.EndsWith(':'))
        {
            phrase = ctx.PreCue;
            quote.Cue = ctx.PreCueText;
        }
        else if (before.EndsWith(':') && before.Length > 1)
        {
            var lead = StripFraming(before.TrimEnd(':'), out _);
            var verb = SpeechVerb().Match(lead);
            phrase = SpeakerPhrases.Parse(verb.Success ? lead[..verb.Index] + " " + lead[(verb.Index + verb.Length)..] : lead);
            quote.Cue = before;
        }

        var previous = quotes.LastOrDefault();
        if (phrase is not null)
        {
            var speaker = Resolve(phrase);
            quote.Speaker = speaker;
            quote.SpeakerRole = RoleOf(phrase, speaker);
            quote.Occasion = phrase.Occasion;
            SetSource(quote, phrase.Source ?? ctx.OwnSource, speaker);
            current = speaker ?? current;
            // The first half of a split quote waiting for this cue: "A," ujar X. "B."
            awaitingCue.Clear();
        }
        else if (previous is not null && previous.Type == "direct" && (previous.Block == ctx.Block || span.NoOpen) && previous.Cue is not null)
        {
            // The second half of a split quote, or a quote running on from the previous paragraph.
            quote.Speaker = previous.Speaker;
            quote.SpeakerRole = previous.SpeakerRole;
            quote.Cue = previous.Cue;
            quote.Occasion = previous.Occasion;
            quote.Source = previous.Source;
            quote.OwnSource = previous.OwnSource;
        }
        else
        {
            quote.Speaker = current;
            quote.SpeakerRole = current?.Role;
            quote.Unattributed = true;
            SetSource(quote, ctx.OwnSource, current);
            awaitingCue.Add(quote);
        }
        if (span.Unclosed && post is null) awaitNext.Add(quote);
        quotes.Add(quote);
    }

    private static bool LooksLikeName(SentenceContext ctx, QuoteSpan span, string text, string[] words)
    {
        var before = ctx.Masked[ctx.Start..span.Open].TrimEnd();
        if (NamingWord().IsMatch(before)) return true;
        if (words.Length >= 2 && words.All(w => char.IsUpper(w[0]) || w.Length <= 3)) return true;
        // "the company's "all-day" phone": a quoted modifier before a noun.
        var after = span.Close + 1 < ctx.Text.Length ? ctx.Text[(span.Close + 1)..].TrimStart() : "";
        var next = Pattern4.Match(after).Value;
        return next.Length > 0 && !Prepositions.Contains(next) && before.Length > 0 && Pattern5.IsMatch(before);
    }

    private static readonly HashSet<string> Prepositions = new(StringComparer.OrdinalIgnoreCase)
    {
        "for", "by", "to", "of", "in", "on", "at", "and", "but", "or", "with", "from", "after", "as", "if", "because", "since",
        "untuk", "oleh", "dan", "karena", "kepada", "dari", "di", "ke", "pada", "dengan", "tetapi", "namun", "bagi", "sejak", "jika",
    };

    private (SpeakerPhrase Phrase, string Cue)? PostCue(string after)
    {
        var id = PostIdCue().Match(after);
        if (id.Success)
        {
            var rest = id.Groups["rest"].Value;
            var cueEnd = id.Groups["rest"].Index + CutRestAtDate(rest).Length;
            var cue = after[id.Groups["verb"].Index..cueEnd].Trim().TrimEnd(',');
            var pronoun = id.Groups["nya"].Length > 0 || id.Groups["verb"].Value.Equals("katanya", StringComparison.OrdinalIgnoreCase)
                          || Pattern6.IsMatch(rest);
            var phrase = pronoun ? SpeakerPhrases.Parse(PronounRest(rest)) with { IsPronoun = true, Name = null, Descriptor = null } : SpeakerPhrases.Parse(rest);
            if (pronoun) phrase = phrase with { Unnamed = null };
            return (phrase, cue);
        }
        var verbFirst = PostEnVerbFirst().Match(after);
        if (verbFirst.Success)
        {
            var rest = verbFirst.Groups["rest"].Value;
            return (SpeakerPhrases.Parse(rest), after[verbFirst.Groups["verb"].Index..(verbFirst.Index + verbFirst.Length)].Trim().TrimEnd('.', ',', '!', '?'));
        }
        var subjFirst = PostEnSubjectFirst().Match(after);
        if (subjFirst.Success && subjFirst.Groups["subj"].Value.Split(' ').Length <= 14)
        {
            var subj = subjFirst.Groups["subj"].Value.Trim();
            var phrase = Lexicon.IsPronoun(subj) ? new SpeakerPhrase { IsPronoun = true } : SpeakerPhrases.Parse(subj + " " + subjFirst.Groups["verb"].Value + subjFirst.Groups["rest"].Value);
            if (!Lexicon.IsPronoun(subj))
            {
                var extra = SpeakerPhrases.Parse(subj);
                phrase = extra with { Source = phrase.Source ?? extra.Source, Occasion = phrase.Occasion ?? extra.Occasion };
                if (subjFirst.Groups["verb"].Value == "told" && SpeakerPhrases.IsOutletName(subjFirst.Groups["rest"].Value.Trim()))
                    phrase = phrase with { Source = KnownOutlets.Canonical(subjFirst.Groups["rest"].Value.Trim()).Name };
                if (subjFirst.Groups["verb"].Value == "told" && subjFirst.Groups["rest"].Value.Trim().StartsWith("reporters"))
                    phrase = phrase with { Occasion = "told " + subjFirst.Groups["rest"].Value.Trim() };
            }
            else
            {
                var tail = SpeakerPhrases.Parse("x " + subjFirst.Groups["verb"].Value + subjFirst.Groups["rest"].Value);
                phrase = phrase with { Source = tail.Source, Occasion = tail.Occasion };
            }
            if (phrase.Source is not null) AddSource(phrase.Source);
            return (phrase, after[subjFirst.Groups["subj"].Index..(subjFirst.Index + subjFirst.Length)].Trim());
        }
        return null;
    }

    private static string PronounRest(string rest) => Pattern7.Replace(rest, "");

    private static string CutRestAtDate(string rest)
    {
        var m = Pattern8.Match(rest);
        return m.Success ? rest[..m.Index] : rest;
    }

    // ---- people and sources ----------------------------------------------------------------------------------------

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

    // ---- after the story -------------------------------------------------------------------------------------------

    private void ResolveAwaitingNext()
    {
        foreach (var q in awaitNext)
        {
            var next = quotes.SkipWhile(x => x != q).Skip(1).FirstOrDefault(x => x.Type == "direct");
            if (next is null || next.Block != q.Block + 1 || next.Cue is null) continue;
            q.Speaker = next.Speaker;
            q.SpeakerRole = next.SpeakerRole;
            q.Cue = next.Cue;
            q.Source = next.Source;
            q.Occasion ??= next.Occasion;
        }
    }

    private List<ExtractedQuote> TitleQuotes(string title)
    {
        var list = new List<ExtractedQuote>();
        foreach (var span in QuoteSpans.Find(title, false, out _))
        {
            var before = title[..span.From].TrimEnd();
            if (!before.EndsWith(':')) continue;
            var text = title[span.Start..span.End];
            var cueStart = before.LastIndexOf(',') + 1;
            var cue = before[cueStart..].Trim();
            var match = quotes.FirstOrDefault(q => q.Type == "direct" && q.Speaker is not null &&
                (q.Text.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase) || text.Contains(q.Text.Trim().TrimEnd('.', ','), StringComparison.OrdinalIgnoreCase)));
            var speaker = match?.Speaker;
            if (speaker is null)
            {
                var cueWords = cue.TrimEnd(':').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToHashSet();
                speaker = registry.Where(e => !e.Unnamed)
                    .Select(e => (e, score: e.Names.Concat(e.Role is null ? [] : [e.Role]).SelectMany(n => n.Split(' ', ',')).Count(w => cueWords.Contains(w.ToLowerInvariant()))))
                    .Where(x => x.score > 0).OrderByDescending(x => x.score).Select(x => x.e).FirstOrDefault();
            }
            speaker ??= quotes.FirstOrDefault(q => q.Type == "direct" && q.Speaker is not null)?.Speaker;
            list.Add(new ExtractedQuote
            {
                Text = text, Type = "direct", Block = null, Start = span.Start, End = span.End, Cue = cue, Speaker = speaker,
                SpeakerRole = speaker?.Role, Source = match?.Source ?? storyFrame,
            });
        }
        return list;
    }

    // ---- text helpers ----------------------------------------------------------------------------------------------

    private static IEnumerable<(int Start, int End)> Sentences(string text, string masked, int from)
    {
        var start = from;
        for (var i = from; i < masked.Length; i++)
        {
            var c = masked[i];
            var stop = c is '.' or '!' or '?' && !IsAbbreviation(masked, i)
                       || QuoteSpans.IsMark(c) && i > 0 && text[i - 1] is '.' or '!' or '?' && masked[i - 1] == '_';
            if (!stop) continue;
            var j = i + 1;
            if (j < masked.Length && !char.IsWhiteSpace(masked[j])) continue;
            while (j < masked.Length && char.IsWhiteSpace(masked[j])) j++;
            if (j < masked.Length && !(char.IsUpper(masked[j]) || char.IsDigit(masked[j]) || QuoteSpans.IsMark(masked[j]) || masked[j] == '(')) continue;
            yield return (start, i + 1);
            start = j;
        }
        if (start < masked.Length) yield return (start, masked.Length);
    }

    private static bool IsAbbreviation(string masked, int i)
    {
        var j = i - 1;
        while (j >= 0 && char.IsLetter(masked[j])) j--;
        var word = masked[(j + 1)..i];
        return word.Length == 1 && char.IsUpper(word[0]) || Abbreviations.Contains(word);
    }

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "dr", "drg", "rp", "no", "mr", "ms", "mrs", "st", "jl", "prof", "ir", "hj", "h", "sdr", "kec", "kab", "gen", "lt", "col",
        "sgt", "capt", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "dll", "dsb", "tbk", "u.s", "a.m", "p.m", "fig",
    };

    private static string StripFraming(string body, out int skipped)
    {
        var s = body;
        skipped = 0;
        while (true)
        {
            var m = Framing().Match(s);
            if (!m.Success) break;
            s = s[m.Length..];
            skipped += m.Length;
        }
        return s;
    }

    private static string DetectLanguage(IEnumerable<string> lines)
    {
        var words = string.Join(' ', lines).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var id = words.Count(w => IdWords.Contains(w));
        var en = words.Count(w => EnWords.Contains(w));
        return en > id ? "en" : "id";
    }

    private static readonly HashSet<string> IdWords = ["yang", "dan", "di", "itu", "dengan", "untuk", "tidak", "ini", "dari", "kata", "bahwa", "akan", "pada", "ke", "juga", "mengatakan", "sudah"];
    private static readonly HashSet<string> EnWords = ["the", "and", "of", "to", "said", "that", "is", "was", "with", "for", "on", "in", "it", "he", "she", "has", "have"];

    private static string ProposeTitle(List<StoryBlock> blocks)
    {
        var lead = blocks.FirstOrDefault(b => b.Type == "paragraph")?.Text ?? "Untitled story";
        var cut = StoryText.PublisherDatelineLength(lead);
        if (StoryText.AgencyDateline(lead) is { } d) cut = d.Length;
        lead = lead[cut..];
        var end = Sentences(lead, lead, 0).FirstOrDefault().End;
        var first = (end > 0 ? lead[..end] : lead).Trim().TrimEnd('.');
        if (first.Length <= 120) return first.Length > 0 ? first : "Untitled story";
        var at = first.LastIndexOf(' ', 117);
        return first[..(at > 40 ? at : 117)] + "…";
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "…";

    // Patterns used once each, built once: the static Regex methods cache only the last 15 patterns.
    private static readonly Regex Pattern0 = new(@"\b(yang|who|which|that|untuk|to|akan|will|tidak|not)$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern1 = new(@"^\s*(namanya|maaf|agar namanya|not to be named|to remain anonymous)", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern2 = new(@",\s*(kepada|sambil|saat|ketika)\b.*$", RegexOptions.None);
    private static readonly Regex Pattern3 = new(@"[.!?,]$", RegexOptions.None);
    private static readonly Regex Pattern4 = new(@"^\p{Ll}+", RegexOptions.None);
    private static readonly Regex Pattern5 = new(@"(’s|'s|\ba|\ban|\bthe|\bsebuah)$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern6 = new(@"^\s+(dia|ia|beliau)\b", RegexOptions.None);
    private static readonly Regex Pattern7 = new(@"^\s+(dia|ia|beliau)\b", RegexOptions.None);
    private static readonly Regex Pattern8 = new(@",\s*(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|,\s*(disambut|sambil|lalu|kemudian)\b", RegexOptions.None);
    private static readonly Regex Pattern9 = new(@"^\d", RegexOptions.None);
    private static readonly Regex Pattern10 = new(@"^(the|a|an|sang|pihak)\s+", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern11 = new(@"\s(itu|tersebut|ini)$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern12 = new(@"\s+(itu|tersebut|ini)$", RegexOptions.IgnoreCase);
    private static readonly Regex Pattern13 = new(@"^\s\p{Lu}", RegexOptions.None);

    [GeneratedRegex(@"^(?:(?:Seperti|Sebagaimana)\s+)?(?:[Dd]ilansir(?:\s+dari)?|[Dd]ikutip\s+dari|[Mm]engutip|[Mm]elansir|[Dd]iberitakan|[Aa]ccording to|[Aa]s reported by|[Rr]eported by)\s+(?<o>[^,_]{2,60}?)\s*,\s*")] private static partial Regex FrameStart();
    [GeneratedRegex(@"^(?:(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*(?:\([\d/]+\))?|\([\d/]+\))\s*,\s*")] private static partial Regex LeadingDate();
    [GeneratedRegex(@",\s*according to\s+(?<o>(?:the\s+)?[\p{Lu}][\p{L}.]*(?:\s[\p{Lu}][\p{L}.]*){0,3})\s*[.!?]?\s*$")] private static partial Regex AccordingToEnd();
    [GeneratedRegex(@"^(?:(?:Sementara itu|Selain itu|Di sisi lain|Meanwhile|However|Separately|Namun|Adapun|Kemudian|Lebih lanjut)\s*,\s*|(?:In a (?:separate )?statement|Dalam [^,_]{2,80}|Ketika ditanya [^,_]+|Saat ditanya [^,_]+|Saat [^,_]{2,60}|When asked [^,_]+|Asked [^,_]+|Dikutip dari [^,_]+|Dilansir [^,_]+|On \p{Lu}\p{Ll}+day)\s*,\s*)")] private static partial Regex Framing();
    [GeneratedRegex(@"^(?:[Mm]enurut(?<nya>nya)?|According to)\s*(?<subj>[^,_]{0,120}),\s*(?<clause>.+)$")] private static partial Regex Menurut();
    [GeneratedRegex(@"^(?<clause>[^_]{12,}?),\s*(?<cue>(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|sebut|tambah|imbuh|lanjut|terang)(?<nya>nya)?\b(?<subj>[^.!?_]*))[.!?]?\s*$")] private static partial Regex TrailingIdCue();
    [GeneratedRegex(@"^(?<clause>[^_]{12,}?),\s*(?<cue>(?<subj>(?:the\s+|a\s+)?[^,_]{1,50}?)\s+(?:said|says|added|warned|told reporters)\b[^,_]*)(?:,\s*\p{Ll}[^_]*)?[.!?]?\s*$")] private static partial Regex TrailingEnCue();
    [GeneratedRegex(@"(?<![\p{L}-])(?:" + Lexicon.IdSpeechVerbs + "|" + Lexicon.EnSpeechVerbs + @")(?![\p{L}-])")] private static partial Regex SpeechVerb();
    [GeneratedRegex(@"^\s+(?<o>(?:the\s+)?[\p{Lu}][\p{L}.’']*(?:\s[\p{Lu}][\p{L}.]*){0,3}|reporters|journalists|him|her|them|us|me|the\s+\p{Ll}+)")] private static partial Regex ToldObject();
    [GeneratedRegex(@"^(?<mid>(?:\s*,?\s*(?:kepada|dalam|pada|di|saat|ketika|seusai|usai|in|on|at|during|to|after|before|via|through|with|outside)\b[^""“”_]{0,140}?)?)\s*,?\s*\b(?:bahwa|that)\b\s*,?")] private static partial Regex Conjunction();
    [GeneratedRegex(@"^\s*[,:]?\s*(?:kepada\s+(?:para\s+)?(?:wartawan|awak media|jurnalis)[^,]*,\s*)?")] private static partial Regex LeadingComma();
    [GeneratedRegex(@"^\s*[,.]?\s*(?<verb>(?i:" + Lexicon.IdCueVerbs + @"))(?<nya>nya)?(?![\p{L}-])(?<rest>[^.!?_]*)")] private static partial Regex PostIdCue();
    [GeneratedRegex(@"^\s*,?\s*(?<verb>said|says|added|asked|explained|warned|stated|insisted|continued|recalled|argued|noted|replied|admitted|wrote)\s+(?<rest>(?:Mr|Ms|Mrs|Dr)?\.?\s*[\p{Lu}][^.!?_,]*(?:,[^.!?_]*)?)[.!?]?")] private static partial Regex PostEnVerbFirst();
    [GeneratedRegex(@"^\s*,?\s*(?<subj>[^.!?_""“”]{1,100}?)\s+(?<verb>said|says|added|told|asked|explained|warned|stated|insisted|continued|recalled|argued|noted|replied|admitted|wrote)\b(?<rest>[^.!?_]*)")] private static partial Regex PostEnSubjectFirst();
    [GeneratedRegex(@"^(?:(?:Begitu|Demikian)\s+(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas)\s+(?<subj>[^.!?_]+)|(?:Kalimat|Pernyataan|Ucapan|Perkataan|Penegasan|Keterangan|Hal|Komentar|Kata-kata|Penjelasan)\s+(?:itu|tersebut|ini)\s+(?:di\p{Ll}+)\s+(?<subj>[^.!?_]+)|(?:That|This|Those|These)\s+(?:was|is|were|are)\s+(?:what\s+)?(?<subj>[^.!?_]+?)\s+(?:said|told|wrote))")] private static partial Regex NextCue();
    [GeneratedRegex(@"(?:\b(?:program|programme|berjuluk|bertajuk|berjudul|dijuluki|julukan|bernama|disebut|istilah|slogan|tagline|film|buku|lagu|album|acara|aplikasi|titled|called|named|dubbed|entitled|known as|so-called|word|term|kata|motto|tema|bertema|hashtag|tagar|seri|serial|novel|pameran|festival|book|show|series|app|exhibition|song|campaign|kampanye|gerakan|operasi|operation|koleksi|collection|brand|merek|spanduk|banner|poster|bertuliskan|reading|sign|the)\s*)$", RegexOptions.IgnoreCase)] private static partial Regex NamingWord();
    [GeneratedRegex(@"\b[\p{Lu}][\p{L}.’'&-]*(?:\s(?:[\p{Lu}][\p{L}.’'&-]*|of|and|dan|for|untuk))*\s[\p{Lu}][\p{L}.’'&-]*|\b(?:PT|CV)\s[\p{Lu}][\p{L}]*(?:\s[\p{Lu}][\p{L}]*)*")] private static partial Regex OrgName();
    [GeneratedRegex(@"^(?<name>[\p{Lu}][\p{L}-]+(?:\s[\p{Lu}][\p{L}-]+){0,3}),\s(?<role>[^,_]{3,100}),")] private static partial Regex LeadAppositive();
    [GeneratedRegex(@"\b(?<role>\p{Ll}+)\s(?<name>[\p{Lu}][\p{Ll}'’-]+(?:\s[\p{Lu}][\p{Ll}'’-]+){1,2})\b")] private static partial Regex TitledName();
    [GeneratedRegex(@"\G(?<name>[\p{Lu}][\p{L}'’-]+(?:\s[\p{Lu}][\p{L}'’-]+){1,3})(?:\s\(\d{1,3}\))?(?=[,.]|\s\(|$)")] private static partial Regex AppositiveName();
    [GeneratedRegex(@",\s*(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|sebut|tambah|imbuh|lanjut|terang)", RegexOptions.IgnoreCase)] private static partial Regex TrailingIdHint();
    [GeneratedRegex(@"\s(?:said|says|added|warned|told reporters)\b")] private static partial Regex TrailingEnHint();
}
