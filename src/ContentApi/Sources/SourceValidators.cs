using ContentApi.Infrastructure;
using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Sources;

public sealed class SourceRequestValidator : AbstractValidator<SourceRequest>
{
    public SourceRequestValidator()
    {
        RuleFor(x => x.Slug).IsSlug();
        RuleFor(x => x.Name).IsName();
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Url).IsHttpUrl();
        RuleFor(x => x.Country).Matches("^[A-Z]{2}$").WithMessage("Use an ISO 3166-1 alpha-2 code in upper case, e.g. GB.");
    }
}

public sealed class ListSourcesQueryValidator : AbstractValidator<ListSourcesQuery>
{
    public ListSourcesQueryValidator()
    {
        RuleFor(x => x.Q).IsSearch();
        RuleFor(x => x.Kind).IsOneOf(Wire<SourceKind>.All);
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Include).MaximumLength(200);
    }
}
