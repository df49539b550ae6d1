using System.Text.RegularExpressions;

namespace ContentApi.Imports.Extraction;

/// <summary>The Indonesian and English words the extractor keys on: speech verbs, cues, roles, organisations.</summary>
public static partial class Lexicon
{
    /// <summary>Cue words after a quote ("kata X", "ujarnya"); -nya makes them pronoun cues.</summary>
    public const string IdCueVerbs = "kata|ujar|ucap|tutur|jelas|sebut|tambah|ungkap|tegas|lanjut|imbuh|terang|papar|tulis|pungkas|cetus|seru|timpal|kilah|tandas|bilang|katanya";

    /// <summary>Speech and opinion verbs that introduce reported speech.</summary>
    public const string IdSpeechVerbs =
        "mengatakan|menyatakan|menyebutkan|menyebut|menilai|mengakui|mengaku|menegaskan|menjelaskan|menambahkan|menuturkan|mengklaim|mengancam|berjanji|meminta|mendesak|mengimbau|mengingatkan|memperingatkan|mengungkapkan|menyampaikan|menerangkan|memaparkan|mengemukakan|membenarkan|memastikan|berpendapat|menganggap|memperkirakan|menduga|menyebutnya|menekankan";

    public const string EnSpeechVerbs =
        "said|says|told|added|claimed|warned|stated|argued|insisted|explained|noted|acknowledged|admitted|announced|confirmed|predicted|urged|promised|asserted|maintained|wrote|replied|recalled|continued|asked";

    /// <summary>Words that open a title or role ("Kepala Dinas ...", "Mayor ...") rather than a name.</summary>
    public static readonly HashSet<string> RoleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "kepala", "wakil", "ketua", "direktur", "presiden", "menteri", "gubernur", "bupati", "wali", "walikota", "camat", "lurah",
        "sekretaris", "pelatih", "manajer", "analis", "ekonom", "peneliti", "pengamat", "perwakilan", "anggota", "juru", "kapolres",
        "kapolda", "kapolri", "komandan", "panglima", "kasat", "kabid", "dirut", "rektor", "dekan", "dosen", "guru", "pemimpin",
        "pimpinan", "pakar", "ahli", "staf", "koordinator", "plt", "pj", "jaksa", "hakim", "pengacara", "kuasa", "mahasiswi",
        "mahasiswa", "desainer", "eksportir", "petani", "pemain", "kapten", "ustaz", "kiai", "warga", "pejabat", "penasihat",
        "sekjen", "kadis", "kasubag", "kepolisian", "mayor", "governor", "president", "minister", "chief", "head", "director",
        "judge", "coach", "tribunal", "professor", "senator", "secretary", "chairman", "chairwoman", "chair", "ceo", "spokesperson",
        "spokesman", "spokeswoman", "inspector", "sergeant", "captain", "general", "colonel", "deputy", "vice", "prime", "king",
        "queen", "prince", "pope", "analyst", "economist", "researcher", "manager", "officer", "lawyer", "attorney", "rider",
        "player", "striker", "midfielder", "goalkeeper", "nurse", "doctor", "farmer", "resident", "founder", "executive",
        "commissioner", "superintendent", "detective", "ambassador", "councillor", "councilor", "mp", "dr", "prof", "mr", "ms", "mrs",
        "sir", "dame", "lord", "lady", "pak", "bu", "ibu", "bapak", "mas", "mbak", "bung", "haji", "hj", "akbp", "kompol", "iptu",
        "ipda", "aiptu", "brigjen", "irjen", "komjen", "kombes", "letkol", "kolonel", "mayjen", "jenderal", "laksamana",
    };

    /// <summary>Honorifics dropped from a canonical name ("Pak Ujang" is Ujang) and kept as an alias.</summary>
    public static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "pak", "bu", "ibu", "bapak", "mas", "mbak", "bung", "kak", "dr", "dr.", "drg.", "prof", "prof.", "mr", "mr.", "ms", "ms.",
        "mrs", "mrs.", "sir", "dame", "haji", "h.", "hj.", "akbp", "kompol", "iptu", "ipda", "aiptu", "brigjen", "irjen", "komjen",
        "kombes", "letkol", "kolonel", "mayjen", "ir.", "ustaz", "kiai", "gus", "pol", "pol.", "kapten", "jenderal",
    };

    /// <summary>Words that open an organisation's name.</summary>
    public static readonly HashSet<string> OrgHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "pt", "pt.", "cv", "yayasan", "pemerintah", "pemkot", "pemkab", "pemprov", "dinas", "kementerian", "kemenkes", "badan",
        "jaringan", "komisi", "lembaga", "koalisi", "asosiasi", "persatuan", "perusahaan", "polres", "polda", "polri", "partai",
        "serikat", "bank", "majelis", "dewan", "ikatan", "himpunan", "forum", "perkumpulan", "gabungan", "organisasi", "kantor",
    };

    /// <summary>Words that end an organisation's name.</summary>
    public static readonly HashSet<string> OrgTails = new(StringComparer.OrdinalIgnoreCase)
    {
        "association", "council", "ministry", "company", "group", "inc", "inc.", "ltd", "ltd.", "corp", "corp.", "cycling", "agency",
        "committee", "federation", "union", "institute", "authority", "police", "government", "foundation", "organisation",
        "organization", "club", "fc", "party", "bank", "university", "centre", "center", "network", "coalition", "commission",
        "department", "office", "court", "board", "trust", "alliance", "league", "society", "services", "airlines", "motors", "tbk",
    };

    /// <summary>Nouns that stand for an organisation already named ("the company", "perusahaan", "yayasan itu").</summary>
    public static readonly HashSet<string> OrgNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "company", "firm", "statement", "town", "city", "council", "organiser", "organisers", "organizer", "organizers", "ministry",
        "government", "group", "association", "club", "team", "agency", "union", "police", "maker", "carrier", "airline", "bank",
        "foundation", "charity", "landlord", "operator", "retailer", "manufacturer", "regulator", "authority", "court",
        "perusahaan", "yayasan", "pemerintah", "kementerian", "dinas", "lembaga", "organisasi", "asosiasi", "klub", "tim",
        "manajemen", "pernyataan", "keterangan", "pihaknya", "kepolisian", "polisi", "pengadilan", "panitia", "pemkot", "pemkab",
    };

    /// <summary>Capitalised words that are not names: days, months, sentence openers.</summary>
    public static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
        "november", "desember", "january", "february", "march", "may", "june", "july", "august", "october", "december",
        "the", "a", "an", "in", "on", "at", "but", "and", "yet", "so", "this", "that", "these", "those", "it", "he", "she", "they",
        "we", "i", "ia", "dia", "beliau", "mereka", "kami", "kita", "saya", "ini", "itu", "namun", "tetapi", "tapi", "dan",
        "sementara", "selain", "menurut", "dalam", "di", "ke", "dari", "pada", "untuk", "sejak", "saat", "ketika", "adalah",
        "desa", "dusun", "kota", "kabupaten", "kecamatan", "provinsi", "jalan", "jl", "jl.", "gedung", "universitas", "institut",
        "sungai", "gunung", "pulau", "kampung", "rumah", "sakit", "rsud", "sekolah", "pasar", "bandara", "pelabuhan", "stasiun",
        "tim", "sar", "salah", "satu", "seorang", "sebuah", "para", "sang", "si", "according", "after", "before", "when", "while",
        "as", "if", "asked", "ditanya", "dilansir", "dikutip", "mengutip", "seperti", "media", "kantor", "berita", "why", "what",
        "how", "who", "where", "yang", "bahwa", "his", "her", "its", "their", "our", "my", "your",
    };

    /// <summary>Unnamed speakers: anonymity formulas and descriptions without a name.</summary>
    [GeneratedRegex(@"(enggan|tidak mau|tak mau|menolak|meminta|minta)\s+(disebut(kan)?|ditulis|menyebut(kan)?|dicantumkan)\s+(nama(nya)?|identitas(nya)?)|nama(nya)?\s+(tidak|tak|enggan)\s+(mau\s+)?(disebut(kan)?|ditulis|dicantumkan)|yang\s+(tidak|tak)\s+disebut(kan)?\s+nama(nya)?|declined to be (named|identified)|asked not to be (named|identified)|(did not|didn't|does not|doesn't) want (to be named|his name|her name|their names?)|on condition of anonymity|spoke on condition|who (was|were) not (authori[sz]ed|named)", RegexOptions.IgnoreCase)]
    public static partial Regex Anonymous();

    /// <summary>An unnamed speaker by description alone: "Seorang warga", "A spokesperson for ...", "Campaigners", "menurut warga".</summary>
    [GeneratedRegex(@"^(seorang|salah seorang|sejumlah|beberapa|para|a|an|some|several|one|two|three)\s+\p{Ll}|^(warga|pejabat|petugas|sumber|saksi|campaigners|residents|officials|critics|witnesses|protesters|analysts|experts|sources|villagers|locals|activists|police|doctors|parents|teachers|workers|fans|shoppers|organisers|organizers)\b", RegexOptions.IgnoreCase)]
    public static partial Regex UnnamedDescription();

    public static bool IsPronoun(string s) => s.Trim().ToLowerInvariant() is "ia" or "dia" or "beliau" or "he" or "she" or "they" or "it" or "mereka" or "ia pun" or "dia pun" or "";
}
