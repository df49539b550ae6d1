using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Keys;

public sealed class ListKeysQueryValidator : AbstractValidator<ListKeysQuery>
{
    public ListKeysQueryValidator() => RuleFor(x => x.Limit).IsPageSize();
}

public sealed class KeyRequestValidator : AbstractValidator<KeyRequest>
{
    public KeyRequestValidator()
    {
        RuleFor(x => x.Name).IsName();
        RuleFor(x => x.Role).IsInEnum();
    }
}
