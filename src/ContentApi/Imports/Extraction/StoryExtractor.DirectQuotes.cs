namespace ContentApi.Imports.Extraction;

// StoryExtractor: direct quotes.
public sealed partial class StoryExtractor
{
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
}
