using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.People;

public sealed class PersonRequestValidator : AbstractValidator<PersonRequest>
{
    public PersonRequestValidator()
    {
        RuleFor(x => x.Slug).IsSlug();
        RuleFor(x => x.Name).IsName();
        RuleFor(x => x.Aliases).NotNull().Must(a => a is null || a.Count <= 50).WithMessage("At most 50 aliases.");
        RuleForEach(x => x.Aliases).IsName();
        RuleFor(x => x.Title).IsShortText();
        RuleFor(x => x.Affiliation).IsShortText();
        RuleFor(x => x.Description).MaximumLength(5000).IsCleanText();
        RuleFor(x => x.WikidataId).Matches("^Q[1-9][0-9]{0,11}$").WithMessage("Use a Wikidata item id such as Q6125217.");
        RuleFor(x => x.ImageUrl).IsHttpUrl();
        RuleFor(x => x.Roles).NotNull().Must(r => r is null || r.Count <= 50).WithMessage("At most 50 roles.");
        RuleForEach(x => x.Roles).ChildRules(role =>
        {
            role.RuleFor(r => r.Title).NotEmpty().IsShortText();
            role.RuleFor(r => r.Affiliation).IsShortText();
            role.RuleFor(r => r.To).Must((r, to) => to is null || r.From is null || to >= r.From).WithMessage("to is before from.");
        });
    }
}

public sealed class ListPeopleQueryValidator : AbstractValidator<ListPeopleQuery>
{
    public ListPeopleQueryValidator()
    {
        RuleFor(x => x.Q).IsSearch();
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Include).MaximumLength(200);
    }
}
