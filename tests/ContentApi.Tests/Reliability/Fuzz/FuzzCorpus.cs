using System.Text;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>The hostile and the merely unusual inputs the fuzzer draws from.</summary>
public static class FuzzCorpus
{
    /// <summary>Valid text from every Unicode plane in use: scripts, emoji, combining marks, astral and private-use planes.</summary>
    public static readonly string[] Texts =
    [
        "Pemerintah AS mengancam, Korut akan menghadapi konsekuensi jika memasok senjata.",
        "Mereka akan menanggung konsekuensinya di komunitas internasional",
        "북한은 러시아에 무기를 공급하면 대가를 치르게 될 것이다",
        "الولايات المتحدة تحذر كوريا الشمالية من تزويد روسيا بالأسلحة",
        "שלום עולם",
        "नमस्ते दुनिया, यह एक परीक्षण है",
        "สวัสดีชาวโลก",
        "こんにちは世界、東京からの報告",
        "中华人民共和国外交部发言人",
        "Ελληνικά και Кириллица вместе",
        "emoji 🚀🇮🇩👩🏽‍💻🏴󠁧󠁢󠁳󠁣󠁴󠁿 ok",
        "combining e\u0301\u0308 Z\u0335\u0321\u0327\u0310a\u0336\u0358l\u0334g\u0337o",
        "decomposed Cafe\u0301 vs precomposed Caf\u00e9",
        "plane 1 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𓀀𓁐 plane 2 𠜎𠜱𠝹𠱓 plane 3 \U00030000",
        "tags plane 14 \U000E0041\U000E0042 private use \U000F0000 \U0010FFFD",
        "bidi \u202Eevil\u202C and \u200F\u200E marks, zero width \u200B\u200D\u2060",
        "BOM \uFEFF replacement \uFFFD noncharacters \uFDD0\uFFFE",
        "controls \t tab \r\n newline \u0001\u001F\u007F\u0085\u2028\u2029",
        "  leading and trailing spaces  ",
        "'; drop table articles; --",
        "\" or \"1\"=\"1",
        "' OR '1'='1' /*",
        "1; select pg_sleep(10); --",
        "$1 $$ $tag$ \\x00 E'\\\\'",
        "\\\"}, \"id\": \"00000000-0000-0000-0000-000000000000\", \"x\": {\"",
        "{\"$gt\": \"\"}",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "../../../../etc/passwd",
        "%00%2e%2e%2f %s%n%x {{7*7}} ${7*7}",
        "\\u0000 literal backslash-u",
        "a",
        "Ab1",
    ];

    /// <summary>Strings that are text to SQL or JSON parsers: harmless as values, never a 500.</summary>
    public static readonly string[] Injections =
    [
        "'; drop table articles; --",
        "' or '1'='1",
        "\" or 1=1 --",
        "1' union select key_hash from api_keys --",
        "x'); select pg_sleep(5); --",
        "'||(select version())||'",
        "\\\"}]}",
        "{\"$ne\":null}",
        "!!! & | :* <-> ( ) '",
        "%' or '%'='",
        "`whoami`",
    ];

    /// <summary>Things a slug or id in a path might be when a client is hostile.</summary>
    public static readonly string[] PathSegments =
    [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2F%2E%2E%2Fkeys",
        "..%5C..%5Cwindows",
        "%252e%252e%252f",
        "x'%20or%20'1'%3D'1",
        "1%3B%20drop%20table%20articles",
        "%00",
        "a%00b",
        "%ED%A0%80",
        "%C3%28",
        "%FF%FE",
        "%F0%9F%9A%80",
        "%ED%95%9C%EA%B5%AD%EC%96%B4",
        "UPPER-CASE",
        "-leading-hyphen",
        "double--hyphen",
        "%20",
        "null",
        "undefined",
        "00000000-0000-0000-0000-000000000000",
        "{00000000-0000-0000-0000-000000000000}",
        "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1aff",
        new string('a', 121),
        new string('a', 3000),
        "%E2%80%AE",
    ];

    /// <summary>Bodies that are not JSON, or not the JSON anyone expects.</summary>
    public static readonly byte[][] MalformedBodies =
    [
        [],
        Encoding.UTF8.GetBytes("{"),
        Encoding.UTF8.GetBytes("}"),
        Encoding.UTF8.GetBytes("{\"slug\":"),
        Encoding.UTF8.GetBytes("{\"slug\":\"a\",}"),
        Encoding.UTF8.GetBytes("{'slug':'a'}"),
        Encoding.UTF8.GetBytes("{slug:\"a\"}"),
        Encoding.UTF8.GetBytes("{\"slug\":\"a\" /* comment */}"),
        Encoding.UTF8.GetBytes("{\"slug\":\"a\"} trailing"),
        Encoding.UTF8.GetBytes("{\"slug\":\"a\"}{\"slug\":\"b\"}"),
        Encoding.UTF8.GetBytes("null"),
        Encoding.UTF8.GetBytes("[]"),
        Encoding.UTF8.GetBytes("[{\"slug\":\"a\"}]"),
        Encoding.UTF8.GetBytes("\"just a string\""),
        Encoding.UTF8.GetBytes("42"),
        Encoding.UTF8.GetBytes("true"),
        Encoding.UTF8.GetBytes("NaN"),
        Encoding.UTF8.GetBytes("{\"level\": NaN}"),
        Encoding.UTF8.GetBytes("{\"level\": Infinity}"),
        Encoding.UTF8.GetBytes("{\"a\":\"\\x41\"}"),
        Encoding.UTF8.GetBytes("{\"a\":\"\\u12\"}"),
        Encoding.UTF8.GetBytes("{\"a\":\"unterminated}"),
        Encoding.UTF8.GetBytes("<xml><slug>a</slug></xml>"),
        Encoding.UTF8.GetBytes("slug=a&name=b"),
        [0xEF, 0xBB, 0xBF, (byte)'[', (byte)']'],
        [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0],
        [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'],
        [(byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
        [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC0, 0xAF, (byte)'"', (byte)'}'],
        [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xF8, 0x88, 0x80, 0x80, 0x80, (byte)'"', (byte)'}'],
        [(byte)'{', 0, (byte)'}'],
        Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 100) + "\\"),
    ];

    /// <summary>Raw UTF-8 byte sequences that are not valid UTF-8, to splice into a JSON string.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0xBC], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xFE], [0xFF], [0x80],
    ];

    /// <summary>JSON string escapes that decode to text PostgreSQL cannot hold or that is not Unicode text.</summary>
    public static readonly string[] BadEscapes = ["\\u0000", "a\\u0000b", "\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800", "\\ud83d"];

    public static readonly string[] BadTimestamps =
        ["yesterday", "2023-13-45T00:00:00Z", "2023-09-06T25:61:00Z", "06/09/2023", "2023-02-30T00:00:00Z", "", " ", "1694000000", "2023-09-06T10:15:00+99:00"];

    public static readonly string[] OddTimestamps =
        ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2023-09-06T10:15:00+07:00", "2023-09-06T10:15:00.123456789Z", "2023-09-06", "1970-01-01T00:00:00Z"];

    public static readonly string[] BadDates = ["2023-02-29", "2023-13-01", "06/09/2023", "yesterday", "2023-9-6", "", "20230906"];

    public static readonly string[] BadUuids =
        ["not-a-uuid", "0192f0a1-7c3e-7d10-9a51", "0192f0a17c3e7d109a512f6c0e8b1a04xx", "' or 1=1 --", "", "{}", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ"];

    public static readonly string[] BadEnumValues = ["Published", "DRAFT", " draft", "draft ", "unknown", "", "0", "null", "'; drop table x; --"];

    public static readonly object[] BadNumbers =
        [-1, 0, 1, 7, int.MaxValue, 2147483648L, -2147483649L, 1.5, 1e308, -1e308, 99999999999999999999999999m, "abc", "", true, new object[0]];

    /// <summary>Names a client must not be able to set, and names that are no part of any request.</summary>
    public static readonly (string Name, object Value)[] ForbiddenFields =
    [
        ("id", "0192f0a1-7c3e-7d10-9a51-2f6c0e8b1a04"),
        ("version", 999),
        ("createdAt", "2000-01-01T00:00:00Z"),
        ("updatedAt", "2000-01-01T00:00:00Z"),
        ("key", "cak_chosen_by_the_client"),
        ("keyHash", "00"),
        ("search", "x"),
        ("publishedSort", "2000-01-01T00:00:00Z"),
        ("__proto__", new { admin = true }),
        ("constructor", new { prototype = new { admin = true } }),
        ("$type", "paragraph"),
        ("$id", "1"),
        ("$ref", "1"),
        ("extra", 1),
        ("", "empty name"),
    ];

    public static readonly string[] BadContentTypes =
        ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/octet-stream", "text/json"];

    /// <summary>If-Match values that are not entity tags: a 400 wherever If-Match is read.</summary>
    public static readonly string[] MalformedIfMatch = ["abc", "\"1", "1", "\"1.abc\" junk"];

    /// <summary>Entity tags the API never issued, or weak ones: strong comparison fails them, so a 412.</summary>
    public static readonly string[] UnmatchableIfMatch = ["W/\"1\"", "\"abc\"", "\"0\"", "\"-1\"", "\"2147483648\"", "\"\""];

    public static readonly string[] BadIfMatch = [.. MalformedIfMatch, .. UnmatchableIfMatch, "*"];

    /// <summary>The status a bad If-Match gets: "*" proves no version (428 where required, any version where optional).</summary>
    public static int IfMatchAnswer(string value, bool required) =>
        MalformedIfMatch.Contains(value) ? 400 : UnmatchableIfMatch.Contains(value) ? 412 : required ? 428 : 200;

    public static readonly string[] BadAuthorizations =
        ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-key", "Bearer cak_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
         "Token test-admin-key-0123456789abcdef", "test-admin-key-0123456789abcdef", "Bearer test-admin-key-0123456789abcdeF",
         "Bearer test-admin-key-0123456789abcde", "Bearer ' or 1=1 --"];

    /// <summary>Lengths on both sides of every limit the API has.</summary>
    public static readonly int[] BoundaryLengths =
        [0, 1, 2, 34, 35, 36, 99, 100, 101, 119, 120, 121, 199, 200, 201, 255, 256, 299, 300, 301, 499, 500, 501, 999, 1000, 1001, 1999, 2000, 2001, 4999, 5000, 5001, 9999, 10000, 10001, 19999, 20000, 20001];
}
