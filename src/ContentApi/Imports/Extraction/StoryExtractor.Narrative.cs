using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

// StoryExtractor: narrative: reported speech, frames, who the story is about.
public sealed partial class StoryExtractor
{
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
            q.When ??= SaidDate.Find(m.Value);
            SetSource(q, phrase.Source, speaker);
        }
        awaitingCue.Clear();
        current = speaker ?? current;
    }
}
