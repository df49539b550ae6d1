using FluentValidation;

namespace ContentApi.Webhooks;

public sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(2000)
            .SetValidator(new Validation.HttpUrlValidator<WebhookRequest>()!).WithMessage("Use an absolute https URL.");
        RuleFor(x => x.Events).Cascade(CascadeMode.Stop).NotEmpty().Must(e => e.Count <= 20).WithMessage("Name at most 20 events.");
        RuleForEach(x => x.Events).Must(e => WebhookEvents.Known.Contains(e))
            .WithMessage("Unknown event; use article.published, article.unpublished, {article|quote|person|source}.{created|updated|deleted} or *.");
        RuleFor(x => x.Description).MaximumLength(500);
    }
}
