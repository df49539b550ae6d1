using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace ContentApi.Imports.Extraction;

/// <summary>
/// Turns pasted text (or HTML) into lines: the title line, body blocks verbatim, and the web-page leftovers left out.
/// </summary>
public static partial class StoryText
{
    /// <summary>The story's lines from HTML: one per block element, scripts and styles dropped, entities decoded.</summary>
    public static List<string> LinesFromHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var dead in document.QuerySelectorAll("script, style, noscript, template, iframe, svg, head").ToList())
            dead.Remove();
        var lines = new List<string>();
        var blocks = document.QuerySelectorAll("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td, th, dt, dd")
            .Where(e => !HasBlockAncestor(e))
            .ToList();
        if (blocks.Count == 0 && document.Body is { } body)
            return LinesFromText(body.TextContent);
        foreach (var block in blocks)
        {
            var text = Whitespace().Replace(block.TextContent, " ").Trim();
            if (text.Length > 0) lines.Add(text);
        }
        return lines;
    }

    private static bool HasBlockAncestor(AngleSharp.Dom.IElement e)
    {
        for (var a = e.ParentElement; a is not null; a = a.ParentElement)
            if (a.LocalName is "p" or "li" or "blockquote" or "pre" or "h1" or "h2" or "h3" or "h4" or "td" or "th" or "figcaption" or "dd" or "dt")
                return true;
        return false;
    }

    /// <summary>The story's non-empty lines as given (a trailing CR is a line ending, not text).</summary>
    public static List<string> LinesFromText(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

    /// <summary>Why a line is a web-page leftover rather than story, or null when it is story.</summary>
    public static string? LeftoverKind(string line)
    {
        var t = line.Trim();
        if (ScrollPrompt().IsMatch(t)) return "scroll prompt";
        if (Advert().IsMatch(t)) return "advertisement";
        if (ReadAlso().IsMatch(t)) return "link to another story";
        if (EmptyImage().IsMatch(t)) return "empty image markup";
        if (Credits().IsMatch(t)) return "byline or credit line";
        if (DateLine().IsMatch(t)) return "date line";
        if (PublisherByline().IsMatch(t)) return "byline";
        if (PhotoCredit().IsMatch(t)) return "photo caption";
        return null;
    }

    /// <summary>A short line without final punctuation: a title (line 1) or a sub-heading (between paragraphs).</summary>
    public static bool IsShortUnpunctuated(string line, int maxWords)
    {
        var t = line.Trim();
        if (t.Length == 0 || t.Length > 160) return false;
        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (words > maxWords) return false;
        var last = t[^1];
        if (last is '.' or ',' or ';' or ':' or '!' or '?' ) return false;
        // A title may end with a quote ("... ke ASN: \"Tidak Ada Tawar-menawar\""), a heading should not end mid-sentence.
        if (last is '"' or '”' or '’' or '\'') return t.Length >= 2 && t[^2] is not ('.' or ',' or '!' or '?');
        return true;
    }

    /// <summary>An agency dateline glued to the lead ("LONDON (Reuters) -"): the agency's name, else null.</summary>
    public static (string Agency, int Length)? AgencyDateline(string paragraph)
    {
        var m = Dateline().Match(paragraph);
        if (!m.Success) return null;
        var agency = m.Groups["agency"].Value;
        return KnownOutlets.Find(agency) is { Kind: "agency" or "broadcaster" or "newspaper" } ? (agency, m.Length) : null;
    }

    /// <summary>A publisher's own dateline ("JAKARTA, KOMPAS.com -", "Jakarta -"): its length, to skip it; never a source.</summary>
    public static int PublisherDatelineLength(string paragraph)
    {
        var m = OwnDateline().Match(paragraph);
        return m.Success ? m.Length : 0;
    }

    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
    [GeneratedRegex(@"^(SCROLL TO CONTINUE WITH CONTENT|SCROLL TO RESUME CONTENT|CONTINUE READING|Continue reading( below)?|Lanjutkan membaca|Scroll untuk melanjutkan)\W*$", RegexOptions.IgnoreCase)] private static partial Regex ScrollPrompt();
    [GeneratedRegex(@"^(ADVERTISEMENT|Advertisement|IKLAN|Iklan|Sponsored|Konten Bersponsor|Advertorial)$")] private static partial Regex Advert();
    [GeneratedRegex(@"^(Baca juga|Baca Juga|BACA JUGA|Read more|Read More|READ MORE|Read also|Also read|Simak juga|Simak Juga|Lihat juga|Lihat Juga|Artikel terkait|Berita terkait|Related)\s*[:\-–]\s*\S", RegexOptions.None)] private static partial Regex ReadAlso();
    [GeneratedRegex(@"^(!\[[^\]]*\]\([^)]*\)\s*\|?\s*)+$|^\|\s*$|^\[\s*\]\s*$")] private static partial Regex EmptyImage();
    [GeneratedRegex(@"^(Penulis|Editor|Reporter|Pewarta|Kontributor|Fotografer|Foto|Sumber|Writer|Author|Photo|Image|Credit|Editing by|Reporting by|Additional reporting by)\s*:?\s+\S.{0,160}$|^Reporting by .+|^\(?(Editing|Reporting|Writing) by .+")] private static partial Regex Credits();
    [GeneratedRegex(@"^((Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?\d{1,2}\s+\p{L}{3,10}\.?\s+\d{4}(,?\s+\d{1,2}[:.]\d{2}(\s*(WIB|WITA|WIT|GMT|UTC|[AP]M))?)?$|^(Published|Updated|Diperbarui|Dipublikasikan)\b.{0,60}\d{4}.{0,20}$", RegexOptions.IgnoreCase)] private static partial Regex DateLine();
    [GeneratedRegex(@"^[\p{L} .'’-]{2,60}\s[-–—]\s*detik\w*$|^[\p{L} .'’-]{2,60}\s*[-–—|]\s*(KOMPAS\.com|Kompas\.com|Tempo\.co|TEMPO\.CO|CNN Indonesia|Republika|Liputan6\.com|kumparan|tirto\.id)$")] private static partial Regex PublisherByline();
    [GeneratedRegex(@"\(?\b(ANTARA FOTO|ANTARAFOTO|ANTARA|REUTERS|AFP|AP|AP Photo|EPA|Getty Images|KOMPAS\.com|Kompas|Tempo|detikcom|Foto)\s*/\s*[\p{L} .'’-]{2,60}\)?\.?\s*$|\((Foto|Photo|Dok)\s*:[^)]*\)\s*$")] private static partial Regex PhotoCredit();
    [GeneratedRegex(@"^[\p{Lu}][\p{Lu}\p{L} .,'’-]{1,60}?\s*\((?<agency>[\p{L} .]{2,40})\)\s*[-–—]+\s*")] private static partial Regex Dateline();
    [GeneratedRegex(@"^[\p{L}][\p{L}]*(?:\.[\p{L}]+)+,\s*[\p{Lu}][\p{L} ]{1,30}?\s*[-–—]{1,2}\s+|^[\p{Lu}][\p{L} ]{1,30},\s*(?:CNN Indonesia|detik\w*|[\p{L}]+(?:\.[\p{L}]+)+)\s*[-–—]{1,2}\s+|^([\p{Lu}][\p{L} .'’-]{1,40},\s*)?([\p{L}]+\.(com|co\.id|co|id)|KOMPAS\.com|[\p{Lu}][\p{L}]+(\.[\p{L}]+)+)\s*[-–—]+\s*|^[\p{Lu}][\p{L} .'’-]{1,30}\s[-–—]{1,2}\s(?=\p{Lu})|^[\p{Lu}][\p{L}]+, (CNN Indonesia|detikNews|Tempo) [-–—]+\s*")] private static partial Regex OwnDateline();
}
