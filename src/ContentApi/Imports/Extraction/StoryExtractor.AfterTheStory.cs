namespace ContentApi.Imports.Extraction;

// StoryExtractor: after the story.
public sealed partial class StoryExtractor
{
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
}
