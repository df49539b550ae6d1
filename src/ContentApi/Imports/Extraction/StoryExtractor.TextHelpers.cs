using System.Text.RegularExpressions;
using ContentApi.Infrastructure;

namespace ContentApi.Imports.Extraction;

// StoryExtractor: text helpers.
public sealed partial class StoryExtractor
{
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
        return TextCut.Prefix(first, at > 40 ? at : 117) + "…";
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : TextCut.Prefix(s, 77) + "…";

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
