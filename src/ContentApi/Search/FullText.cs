namespace ContentApi.Search;

/// <summary>
/// Full-text conditions on a row's generated <c>search</c> tsvector, built in the row's own language. The GIN index
/// answers "contains the terms in any of the three languages"; the row's own language is then checked on the candidates.
/// Each websearch_to_tsquery has constant arguments, so PostgreSQL folds it once at planning (before, the own-language
/// query was parsed again for every matching row, in the filter and again in ts_rank: half the cost of a search). A
/// statement planned once (a generic plan) has no constant to fold: its forms here are subselects, each evaluated once
/// per execution.
/// </summary>
public static class FullText
{
    /// <summary>The query in all three languages, one tsquery.</summary>
    public const string AnyLanguageQuery =
        "(websearch_to_tsquery('indonesian', @Q) || websearch_to_tsquery('english', @Q) || websearch_to_tsquery('simple', @Q))";

    /// <summary>The query in each of the three languages, as text (text[]; an empty query prints as '').</summary>
    public const string EachLanguageQueryText =
        "array[websearch_to_tsquery('indonesian', @Q)::text, websearch_to_tsquery('english', @Q)::text, websearch_to_tsquery('simple', @Q)::text]";

    public static string AnyLanguage(string alias) => $"{alias}.search @@ {AnyLanguageQuery}";

    /// <summary><see cref="AnyLanguage"/> for a statement planned once.</summary>
    public static string AnyLanguageGeneric(string alias) => $"{alias}.search @@ (select {AnyLanguageQuery})";

    /// <summary>
    /// The same as <see cref="AnyLanguage"/> as three conditions, for plans that read all matches from the GIN index: one
    /// scan per language skips through a common lexeme's entries where a single scan of the three queries ORed reads
    /// every entry.
    /// </summary>
    public static string AnyLanguageEach(string alias) =>
        $"({alias}.search @@ websearch_to_tsquery('indonesian', @Q) or {alias}.search @@ websearch_to_tsquery('english', @Q) or {alias}.search @@ websearch_to_tsquery('simple', @Q))";

    /// <summary><see cref="AnyLanguageEach"/> for a statement planned once.</summary>
    public static string AnyLanguageEachGeneric(string alias) =>
        $"({alias}.search @@ (select websearch_to_tsquery('indonesian', @Q)) or {alias}.search @@ (select websearch_to_tsquery('english', @Q)) or {alias}.search @@ (select websearch_to_tsquery('simple', @Q)))";

    // The row's language as content_regconfig reads it ('en-GB' → 'en'). 'id' and 'en', nearly every row, skip lower()
    // and split_part(), which run twice per row on a ranked page. Same configuration as content_regconfig for every tag (FullTextTests).
    private static string Code(string alias) =>
        $"case when {alias}.language in ('id', 'en') then {alias}.language else split_part(lower({alias}.language), '-', 1) end";

    // The row's own language's query; for a statement planned once, of subselects (the class says why).
    private static string OwnLanguageQuery(string alias, bool generic = false)
    {
        string Query(string config) => generic ? $"(select websearch_to_tsquery('{config}', @Q))" : $"websearch_to_tsquery('{config}', @Q)";
        return $"case {Code(alias)} when 'id' then {Query("indonesian")} when 'en' then {Query("english")} else {Query("simple")} end";
    }

    public static string OwnLanguage(string alias) => $"{alias}.search @@ {OwnLanguageQuery(alias)}";

    /// <summary>
    /// The conditions of a page of matches. Rows already known to match (a ranked window's members, found by the GIN
    /// index) only need their own language checked: asking the index again read a term's whole posting list to
    /// intersect it with the window's ids.
    /// </summary>
    public static string[] Conditions(string alias, bool knownMatches) =>
        knownMatches ? [OwnLanguage(alias)] : [AnyLanguage(alias), OwnLanguage(alias)];

    /// <summary>The condition of a page of a ranked window's rows (<see cref="Conditions"/>, known matches) for a statement planned once.</summary>
    public static string OwnLanguageGeneric(string alias) => $"{alias}.search @@ {OwnLanguageQuery(alias, generic: true)}";

    public static string Rank(string alias) => $"ts_rank({alias}.search, {OwnLanguageQuery(alias)})";

    /// <summary><see cref="Rank"/> for a statement planned once.</summary>
    public static string RankGeneric(string alias) => $"ts_rank({alias}.search, {OwnLanguageQuery(alias, generic: true)})";

    /// <summary>
    /// The row's rank where it belongs on a page of matches (its own language matches), null where not; for a statement
    /// planned once (<see cref="OwnLanguageQuery"/>).
    /// </summary>
    public static string RankOnPage(string alias) =>
        $"case when {alias}.search @@ {OwnLanguageQuery(alias, generic: true)} then ts_rank({alias}.search, {OwnLanguageQuery(alias, generic: true)}) end";
}
