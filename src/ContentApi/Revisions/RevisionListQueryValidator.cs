using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Revisions;

public sealed class RevisionListQueryValidator : AbstractValidator<RevisionListQuery>
{
    public RevisionListQueryValidator() => RuleFor(x => x.Limit).IsPageSize();
}
