using System.Text.RegularExpressions;
using ContentApi.Infrastructure;
using FluentValidation;

namespace ContentApi.Validation;

/// <summary>Field rules shared by every resource, so a slug or a URL means the same thing everywhere.</summary>
public static partial class Rules
{
    public const int MaxShortText = 500;

    public static IRuleBuilderOptions<T, string> IsSlug<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(120).Matches(SlugPattern())
            .WithMessage("Use lowercase letters, digits and single hyphens, e.g. jake-sullivan.");

    public static IRuleBuilderOptions<T, string> IsName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(200).Must(IsClean).WithMessage(CleanTextMessage);

    public const int MaxCorrection = 2000;

    /// <summary>A correction notice, when sent: 1 to 2,000 characters and not only whitespace; stored as sent, never trimmed.</summary>
    public static IRuleBuilderOptions<T, string?> IsCorrection<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Length(1, MaxCorrection)
            .Must(c => c is null || !string.IsNullOrWhiteSpace(c)).WithMessage("A correction needs text; leave correction out to change without one.")
            .IsCleanText();

    public static IRuleBuilderOptions<T, string?> IsShortText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxShortText).IsCleanText();

    /// <summary>PostgreSQL text cannot hold NUL; lone surrogates are not text. Both are refused here, not by a 500.</summary>
    public static IRuleBuilderOptions<T, string?> IsCleanText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsClean).WithMessage(CleanTextMessage);

    public const string CleanTextMessage = "Text must be valid Unicode without NUL characters.";

    public static bool IsClean(string? s) => s is null || (!s.Contains('\0') && IsWellFormed(s));

    public static IRuleBuilderOptions<T, string?> IsHttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2000).Must(IsClean).WithMessage(CleanTextMessage).SetValidator(new HttpUrlValidator<T>());

    public static IRuleBuilderOptions<T, string> IsRequiredHttpUrl<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(2000).Must(IsClean).WithMessage(CleanTextMessage).SetValidator(new HttpUrlValidator<T>()!);

    /// <summary>BCP 47 tag: language subtag plus optional script, region and variant subtags (id, en, en-GB, zh-Hant-TW).</summary>
    public static IRuleBuilderOptions<T, string> IsLanguageTag<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(35).Matches(LanguagePattern()).WithMessage("Use a BCP 47 language tag, e.g. id or en-GB.");

    public static IRuleBuilderOptions<T, string?> IsOptionalLanguageTag<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(35).Matches(LanguagePattern()).WithMessage("Use a BCP 47 language tag, e.g. id or en-GB.");

    public static IRuleBuilderOptions<T, string?> IsOneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> allowed) =>
        rule.SetValidator(new OneOfValidator<T>(allowed));

    public static IRuleBuilderOptions<T, string?> IsSearch<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(200).Must(q => q is null || q.Trim().Length > 0).WithMessage("Search text must not be blank.").IsCleanText();

    /// <summary>An instant a newsroom can mean: years 1800 to 9000, so it survives PostgreSQL and JSON unchanged.</summary>
    public static IRuleBuilderOptions<T, DateTime?> IsPlausibleInstant<T>(this IRuleBuilder<T, DateTime?> rule) =>
        rule.Must(IsPlausible).WithMessage("Use a time between the years 1800 and 9000, in RFC 3339 (2023-09-08T03:00:00Z).");

    public static bool IsPlausible(DateTime? value) => value is null || value.Value.Year is >= 1800 and <= 9000;

    public static IRuleBuilderOptions<T, int?> IsPageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, Limits.MaxPageSize);

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")]
    private static partial Regex LanguagePattern();
}
