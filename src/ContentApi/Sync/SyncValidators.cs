using FluentValidation;

namespace ContentApi.Sync;

public sealed class SyncQueryValidator : AbstractValidator<SyncQuery>
{
    public SyncQueryValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, SyncEndpoints.MaxLimit);
        RuleFor(x => x.Since).MaximumLength(1000);
    }
}
