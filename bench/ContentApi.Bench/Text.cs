using System.Text;

namespace ContentApi.Bench;

/// <summary>
/// Word lists and a sentence maker for Indonesian and English news text. Content words are drawn with a skewed
/// (Zipf-like) distribution, so some words are common and most are rare, as in real text.
/// </summary>
public static class Text
{
    public static readonly string[] IdWords = """
        pemerintah presiden menteri rakyat negara ekonomi harga pasar kebijakan pembangunan daerah provinsi kota desa jalan
        banjir gempa hujan cuaca sekolah pendidikan kesehatan rumah sakit dokter pasien vaksin pandemi korupsi pengadilan
        hakim jaksa polisi tersangka saksi sidang undang-undang parlemen partai pemilihan kampanye suara calon gubernur bupati
        wali investasi saham rupiah inflasi bank pinjaman utang anggaran pajak ekspor impor perdagangan industri pabrik
        pekerja buruh upah petani beras jagung kopi sawit tambang batu bara nikel listrik energi minyak gas bensin transportasi
        kereta pesawat bandara pelabuhan kapal nelayan laut pantai pulau hutan kebakaran asap lingkungan iklim sampah air
        sungai jembatan proyek infrastruktur teknologi internet aplikasi digital data keamanan serangan militer tentara
        perbatasan perang damai perundingan diplomasi kunjungan pertemuan kerja sama sanksi senjata rudal nuklir satelit
        olahraga sepak bola pertandingan pemain pelatih juara turnamen festival budaya musik film seni wisata hotel kuliner
        penduduk keluarga anak perempuan pemuda mahasiswa universitas penelitian ilmuwan bencana bantuan pengungsi relawan
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] IdGlue =
        ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini", "itu", "akan", "tidak", "telah", "juga", "dalam",
         "oleh", "karena", "sebagai", "masih", "sudah", "lebih", "bahwa", "menurut", "kata", "mengatakan", "menyebut", "tahun", "baru"];

    public static readonly string[] EnWords = """
        government president minister people country economy price market policy development region province city village road
        flood earthquake rain weather school education health hospital doctor patient vaccine pandemic corruption court
        judge prosecutor police suspect witness trial law parliament party election campaign vote candidate governor mayor
        investment shares currency inflation bank loan debt budget tax export import trade industry factory worker labour
        wage farmer rice corn coffee palm oil mining coal nickel electricity energy fuel gas transport train plane airport
        port ship fisherman sea coast island forest fire smoke environment climate waste water river bridge project
        infrastructure technology internet application digital data security attack military army border war peace talks
        diplomacy visit meeting cooperation sanctions weapons missile nuclear satellite sport football match player coach
        champion tournament festival culture music film art tourism hotel food population family children women youth
        students university research scientist disaster aid refugees volunteers
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] EnGlue =
        ["the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "was", "is", "said", "will", "not", "has", "by",
         "at", "from", "as", "more", "new", "after", "this", "year", "its", "their", "would"];

    public static readonly string[] FirstNames =
        ["Budi", "Siti", "Agus", "Dewi", "Joko", "Sri", "Bambang", "Rina", "Hendra", "Ayu", "Eko", "Putri", "Rudi", "Wulan", "Andi",
         "Nur", "Dian", "Fajar", "Indah", "Yusuf", "Ahmad", "Ratna", "Teguh", "Lestari", "Bayu", "Maya", "Rizky", "Fitri", "Dimas", "Citra",
         "John", "Mary", "James", "Linda", "Robert", "Susan", "Michael", "Sarah", "David", "Emma", "Daniel", "Olivia", "Thomas", "Anna",
         "Vladimir", "Olga", "Dmitry", "Jae-won", "Min-ji", "Hiroshi", "Yuki", "Wei", "Li", "Ahmed", "Fatima", "Carlos", "Maria", "Jean", "Claire"];

    public static readonly string[] LastNames =
        ["Santoso", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho", "Setiawan", "Siregar", "Nasution", "Harahap",
         "Simanjuntak", "Sitompul", "Wibowo", "Gunawan", "Halim", "Sutanto", "Rahman", "Hakim", "Lubis", "Tanjung", "Sulistyo",
         "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Clark", "Lewis", "Walker", "Hall", "Young",
         "Ivanov", "Petrov", "Sokolov", "Kim", "Park", "Lee", "Tanaka", "Sato", "Wang", "Zhang", "Chen", "Hassan", "Ali",
         "Garcia", "Lopez", "Martin", "Dubois", "Moreau", "Schmidt", "Weber"];

    public static readonly string[] IdTitles =
        ["Menteri Keuangan", "Menteri Luar Negeri", "Juru bicara Kementerian", "Gubernur", "Bupati", "Wali Kota", "Anggota DPR",
         "Ketua Partai", "Ekonom", "Pengamat politik", "Direktur Utama", "Kepala Kepolisian Daerah", "Jaksa Agung", "Peneliti",
         "Rektor", "Pelatih tim nasional", "Ketua KPU", "Kepala BMKG", "Duta Besar", "Presiden"];

    public static readonly string[] EnTitles =
        ["Finance Minister", "Foreign Minister", "Ministry spokesperson", "Governor", "Mayor", "Member of Parliament",
         "Party chair", "Economist", "Political analyst", "Chief executive", "Police chief", "Attorney General", "Researcher",
         "University rector", "National team coach", "Election commission chair", "Ambassador", "President", "Senator", "Analyst"];

    public static readonly string[] Orgs =
        ["Kementerian Keuangan", "Kementerian Luar Negeri", "DPR", "Bank Indonesia", "Universitas Indonesia", "Universitas Gadjah Mada",
         "Gedung Putih", "Kremlin", "PBB", "ASEAN", "Bank Dunia", "IMF", "Pertamina", "PLN", "KPK", "Mahkamah Konstitusi",
         "Harvard University", "European Commission", "Pentagon", "BMKG", "PSSI", "CSIS", "INDEF", "LIPI", "Pemerintah Provinsi"];

    public static readonly string[] Places =
        ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Semarang", "Yogyakarta", "Denpasar", "Palembang", "Balikpapan",
         "Washington", "Moskow", "Seoul", "Tokyo", "Beijing", "Singapura", "Kuala Lumpur", "Brussels", "London", "Jenewa"];

    public static readonly string[] IdSections = ["Nasional", "Internasional", "Ekonomi", "Politik", "Hukum", "Olahraga", "Teknologi", "Sains", "Gaya Hidup", "Daerah"];
    public static readonly string[] EnSections = ["World", "Business", "Politics", "Sport", "Technology", "Science", "Opinion", "Asia"];

    // Real news text has tens of thousands of distinct words: behind the common words above come 3,000 made-up
    // rarer ones per language, so a search term matches a few percent of articles, not all of them.
    private static readonly string[] Syllables = ["ka", "ra", "ma", "na", "ta", "sa", "la", "pa", "ba", "da", "ga", "ja", "wa", "ya",
        "ki", "ri", "mi", "ni", "ti", "si", "li", "pi", "bu", "du", "gu", "ju", "ku", "lu", "mu", "nu", "tu", "su", "ro", "no", "ko", "to"];

    private static string[] Vocabulary(string[] head, int seed)
    {
        var r = new Random(seed);
        var words = new List<string>(head);
        var seen = new HashSet<string>(head);
        while (words.Count < head.Length + 3000)
        {
            var w = string.Concat(Enumerable.Range(0, r.Next(3, 5)).Select(_ => Syllables[r.Next(Syllables.Length)])) + (seed == 1 ? "an" : "er");
            if (seen.Add(w)) words.Add(w);
        }
        return words.ToArray();
    }

    public static readonly string[] IdVocabulary = Vocabulary(IdWords, 1);
    public static readonly string[] EnVocabulary = Vocabulary(EnWords, 2);

    // Zipf (s = 1) over the vocabulary: the word of rank k has weight 1/k.
    private static readonly double[] ZipfCdf = BuildZipf(Math.Max(IdWords.Length, EnWords.Length) + 3000);

    private static double[] BuildZipf(int count)
    {
        var cdf = new double[count];
        var sum = 0.0;
        for (var k = 0; k < count; k++) cdf[k] = sum += 1.0 / (k + 1);
        for (var k = 0; k < count; k++) cdf[k] /= sum;
        return cdf;
    }

    public static int ZipfRank(Random r)
    {
        var i = Array.BinarySearch(ZipfCdf, r.NextDouble());
        return Math.Min(ZipfCdf.Length - 1, i < 0 ? ~i : i);
    }

    /// <summary>Index skewed towards the head: a few words are very common, most are rare.</summary>
    public static int Skewed(Random r, int count, double power = 2.2) => Math.Min(count - 1, (int)(count * Math.Pow(r.NextDouble(), power)));

    public static string Word(Random r, bool indonesian)
    {
        var vocabulary = indonesian ? IdVocabulary : EnVocabulary;
        return vocabulary[Math.Min(vocabulary.Length - 1, ZipfRank(r))];
    }

    /// <summary>A sentence of about <paramref name="length"/> characters, optionally naming someone.</summary>
    public static void Sentence(StringBuilder sb, Random r, bool indonesian, int length, string? name = null)
    {
        var glue = indonesian ? IdGlue : EnGlue;
        var start = sb.Length;
        var first = true;
        var named = name is null;
        while (sb.Length - start < length)
        {
            if (!first) sb.Append(' ');
            string w;
            if (!named && sb.Length - start > length / 3) { w = name!; named = true; }
            else w = r.Next(3) == 0 ? glue[r.Next(glue.Length)] : Word(r, indonesian);
            if (first) { sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1); first = false; }
            else sb.Append(w);
        }
        sb.Append('.');
    }

    public static string Sentences(Random r, bool indonesian, int length, string? name = null)
    {
        var sb = new StringBuilder(length + 40);
        while (sb.Length < length)
        {
            if (sb.Length > 0 && length - sb.Length < 20) break;
            if (sb.Length > 0) sb.Append(' ');
            Sentence(sb, r, indonesian, Math.Min(length - sb.Length, 60 + r.Next(80)), sb.Length == 0 ? name : null);
        }
        return sb.ToString();
    }

    public static string Slugify(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }
}
