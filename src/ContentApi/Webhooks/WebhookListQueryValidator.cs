using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Webhooks;

public sealed class WebhookListQueryValidator : AbstractValidator<WebhookListQuery>
{
    public WebhookListQueryValidator() => RuleFor(x => x.Limit).IsPageSize();
}
