using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Quotes;

public sealed class QuoteRequestValidator : AbstractValidator<QuoteRequest>
{
    public QuoteRequestValidator()
    {
        RuleFor(x => x.Text).NotEmpty().MaximumLength(10_000).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(x => x.Language).IsLanguageTag();
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.SpeakerId).NotEmpty();
        RuleFor(x => x.SpeakerRole).IsShortText();
        RuleFor(x => x.SaidOn).InclusiveBetween(new DateOnly(1, 1, 1), DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1))
            .WithMessage("A quote cannot be said in the future.");
        RuleFor(x => x.Occasion).IsShortText();
        RuleFor(x => x.SourceUrl).IsHttpUrl();
        RuleFor(x => x.ArticleIds).NotNull().Must(a => a is null || a.Count <= 500).WithMessage("At most 500 articles.")
            .Must(a => a is null || a.Distinct().Count() == a.Count).WithMessage("Each article only once.");
        RuleFor(x => x.Correction).IsCorrection();
    }
}

public sealed class ListQuotesQueryValidator : AbstractValidator<ListQuotesQuery>
{
    public ListQuotesQueryValidator()
    {
        RuleFor(x => x.Language).IsOptionalLanguageTag();
        RuleFor(x => x.Q).IsSearch();
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Include).MaximumLength(200);
        RuleFor(x => x.SaidBefore).GreaterThanOrEqualTo(x => x.SaidAfter).When(x => x.SaidAfter is not null && x.SaidBefore is not null);
    }
}
