namespace ContentApi.Imports.Extraction;

/// <summary>A news outlet the import recognises by name: its canonical name, kind (a source kind) and country.</summary>
public sealed record Outlet(string Name, string Kind, string? Country, string? Url, params string[] Aliases);

/// <summary>
/// The small built-in list of outlets stories name as the channel of a quote. A name outside it counts as an outlet
/// only when the story says so ("media X", "kantor berita X", "the newspaper X").
/// </summary>
public static class KnownOutlets
{
    public static readonly IReadOnlyList<Outlet> All =
    [
        new("Reuters", "agency", "GB", "https://www.reuters.com"),
        new("AFP", "agency", "FR", "https://www.afp.com", "Agence France-Presse", "Agence France Presse"),
        new("AP", "agency", "US", "https://apnews.com", "Associated Press", "The Associated Press"),
        new("Antara", "agency", "ID", "https://www.antaranews.com", "ANTARA", "Antara News", "LKBN Antara"),
        new("Bloomberg", "agency", "US", "https://www.bloomberg.com"),
        new("Kyodo", "agency", "JP", "https://english.kyodonews.net", "Kyodo News"),
        new("Xinhua", "agency", "CN", "https://english.news.cn"),
        new("Yonhap", "agency", "KR", "https://en.yna.co.kr"),
        new("TASS", "agency", "RU", "https://tass.com"),
        new("RIA Novosti", "agency", "RU", "https://ria.ru"),
        new("dpa", "agency", "DE", "https://www.dpa.com", "DPA"),
        new("BBC", "broadcaster", "GB", "https://www.bbc.com", "BBC News"),
        new("CNN", "broadcaster", "US", "https://www.cnn.com"),
        new("CNN Indonesia", "website", "ID", "https://www.cnnindonesia.com"),
        new("CBS News", "broadcaster", "US", "https://www.cbsnews.com", "CBS"),
        new("NBC News", "broadcaster", "US", "https://www.nbcnews.com", "NBC"),
        new("ABC News", "broadcaster", "US", "https://abcnews.go.com"),
        new("Al Jazeera", "broadcaster", "QA", "https://www.aljazeera.com"),
        new("Sky News", "broadcaster", "GB", "https://news.sky.com"),
        new("NHK", "broadcaster", "JP", "https://www3.nhk.or.jp"),
        new("Deutsche Welle", "broadcaster", "DE", "https://www.dw.com", "DW"),
        new("The New York Times", "newspaper", "US", "https://www.nytimes.com", "New York Times", "NYT"),
        new("The Washington Post", "newspaper", "US", "https://www.washingtonpost.com", "Washington Post"),
        new("The Wall Street Journal", "newspaper", "US", "https://www.wsj.com", "Wall Street Journal", "WSJ"),
        new("The Guardian", "newspaper", "GB", "https://www.theguardian.com", "Guardian"),
        new("Financial Times", "newspaper", "GB", "https://www.ft.com", "The Financial Times", "FT"),
        new("The Jakarta Post", "newspaper", "ID", "https://www.thejakartapost.com", "Jakarta Post"),
        new("Kompas", "newspaper", "ID", "https://www.kompas.com", "Kompas.com", "KOMPAS.com", "Harian Kompas"),
        new("Tempo", "magazine", "ID", "https://www.tempo.co", "Tempo.co", "TEMPO.CO", "Majalah Tempo"),
        new("Republika", "newspaper", "ID", "https://www.republika.co.id"),
        new("Detik", "website", "ID", "https://www.detik.com", "detikcom", "detik.com"),
        new("South China Morning Post", "newspaper", "HK", "https://www.scmp.com", "SCMP"),
        new("The Straits Times", "newspaper", "SG", "https://www.straitstimes.com", "Straits Times"),
        new("Nikkei", "newspaper", "JP", "https://asia.nikkei.com", "Nikkei Asia"),
    ];

    private static readonly Dictionary<string, Outlet> ByName = All
        .SelectMany(o => o.Aliases.Append(o.Name).Select(n => (n, o)))
        .DistinctBy(x => x.n, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(x => x.n, x => x.o, StringComparer.OrdinalIgnoreCase);

    /// <summary>The outlet a written name refers to ("kantor berita AFP", "the BBC"), or null.</summary>
    public static Outlet? Find(string written)
    {
        var name = Clean(written);
        return ByName.GetValueOrDefault(name);
    }

    /// <summary>The name as the story writes it, less a leading "the" and descriptors such as "kantor berita".</summary>
    public static string Clean(string written)
    {
        var name = written.Trim().TrimEnd('.', ',', ';', ':');
        foreach (var prefix in Descriptors)
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
                name = name[prefix.Length..].TrimStart();
        if (name.StartsWith("the ", StringComparison.OrdinalIgnoreCase) && !ByName.ContainsKey(name)) name = name[4..];
        return name;
    }

    /// <summary>Words that say the next name is an outlet.</summary>
    public static readonly string[] Descriptors =
    [
        "kantor berita", "media", "harian", "surat kabar", "majalah", "stasiun televisi", "televisi", "situs",
        "the news agency", "news agency", "the newspaper", "newspaper", "the broadcaster", "broadcaster", "the agency",
    ];

    /// <summary>The canonical name and, when known, the outlet.</summary>
    public static (string Name, Outlet? Known) Canonical(string written)
    {
        var known = Find(written);
        return (known?.Name ?? Clean(written), known);
    }
}
