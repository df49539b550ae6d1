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
        ShareWhen();
        var titleQuotes = titleLine is null ? [] : TitleQuotes(titleLine);
        var all = titleQuotes.Concat(quotes).ToList();
        foreach (var q in all.Where(q => q.Speaker is { Unnamed: true } || q.Speaker is null))
            warnings.Add(new StoryWarning("unnamed_speaker",
                $"No named speaker for \"{Shorten(q.Text)}\"{(q.SpeakerRole is null ? "" : $" ({q.SpeakerRole})")}; it is not stored as a quote.", q.Block));
        foreach (var q in all.Where(q => q.Speaker is not null)) q.Speaker!.Speaks = true;

        var entities = registry.Where(e => !e.Unnamed && (e.Speaks || !e.IsOrganization)).ToList();
        return new StoryExtraction(language, title, titleFromStory, blocks, all, entities, sources, warnings);
    }

    /// <summary>A sentence without the words quoted in it: what is left says who said them, and maybe when.</summary>
    private static string Attribution(string masked, int start, int end, IEnumerable<ExtractedQuote> said)
    {
        var chars = masked[start..end].ToCharArray();
        foreach (var q in said)
            for (var i = Math.Max(q.Start, start); i < Math.Min(q.End, end); i++)
                chars[i - start] = '_';
        return new string(chars);
    }

    /// <summary>
    /// The parts of one utterance (a quote split around its cue, or running over paragraphs) share the cue and so its
    /// date: a part whose own sentence says no date takes the one its neighbour's does.
    /// </summary>
    private void ShareWhen()
    {
        for (var i = 0; i < quotes.Count;)
        {
            var j = i + 1;
            while (j < quotes.Count && quotes[j].Cue is not null && quotes[j].Cue == quotes[i].Cue && quotes[j].Speaker == quotes[i].Speaker) j++;
            var when = quotes.Skip(i).Take(j - i).Select(q => q.When).FirstOrDefault(w => w is not null);
            for (var k = i; k < j; k++) quotes[k].When ??= when;
            i = j;
        }
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
            var firstQuote = quotes.Count;
            ProcessNarrative(ctx);
            foreach (var span in sentenceSpans)
                ProcessSpan(ctx, span, spans);
            if (quotes.Count > firstQuote && e - s <= MaxSentence)
            {
                var when = SaidDate.Find(Attribution(masked, s, e, quotes.Skip(firstQuote)));
                foreach (var q in quotes.Skip(firstQuote)) q.When ??= when;
            }
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
}
