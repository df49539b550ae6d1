using ContentApi.Infrastructure;
using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Articles;

public sealed class ArticleRequestValidator : AbstractValidator<ArticleRequest>
{
    public ArticleRequestValidator()
    {
        RuleFor(x => x.Slug).IsSlug();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(300).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(x => x.Summary).MaximumLength(2000).IsCleanText();
        RuleFor(x => x.Language).IsLanguageTag();
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.PublishedAt).IsPlausibleInstant();
        RuleFor(x => x.PublishedAt).NotNull().When(x => x.Status == ArticleStatus.Published)
            .WithMessage("A published article needs publishedAt (or use POST /publish).");
        RuleFor(x => x.Section).IsShortText();
        RuleFor(x => x.Tags).NotNull().Must(t => t is null || t.Count <= 50).WithMessage("At most 50 tags.");
        RuleForEach(x => x.Tags).NotEmpty().MaximumLength(100).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(x => x.Byline).IsShortText();
        RuleFor(x => x.HeroImage!).SetValidator(new HeroImageValidator()).When(x => x.HeroImage is not null);
        RuleFor(x => x.Body).NotNull().Must(b => b is null || b.Count <= 500).WithMessage("At most 500 blocks.");
        RuleForEach(x => x.Body).SetValidator(new BodyBlockValidator());
        RuleFor(x => x.People).NotNull().Must(p => p is null || p.Count <= 200).WithMessage("At most 200 people.")
            .Must(p => p is null || p.DistinctBy(l => (l.PersonId, l.Role)).Count() == p.Count).WithMessage("Each person only once per role.");
        RuleForEach(x => x.People).ChildRules(p =>
        {
            p.RuleFor(l => l.PersonId).NotEmpty();
            p.RuleFor(l => l.Role).IsInEnum();
            p.RuleFor(l => l.Person).Null().WithMessage("Send personId only; person is read-only.");
        });
        RuleFor(x => x.Sources).NotNull().Must(s => s is null || s.Count <= 200).WithMessage("At most 200 sources.")
            .Must(s => s is null || s.DistinctBy(l => (l.SourceId, l.Relation)).Count() == s.Count).WithMessage("Each source only once per relation.");
        RuleForEach(x => x.Sources).ChildRules(s =>
        {
            s.RuleFor(l => l.SourceId).NotEmpty();
            s.RuleFor(l => l.Relation).IsInEnum();
            s.RuleFor(l => l.Source).Null().WithMessage("Send sourceId only; source is read-only.");
        });
        RuleFor(x => x.QuoteIds).NotNull().Must(q => q is null || q.Count <= 500).WithMessage("At most 500 quotes.")
            .Must(q => q is null || q.Distinct().Count() == q.Count).WithMessage("Each quote only once.");
        RuleFor(x => x.Correction).IsCorrection();
    }
}

public sealed class HeroImageValidator : AbstractValidator<HeroImage>
{
    public HeroImageValidator()
    {
        RuleFor(x => x.Url).IsRequiredHttpUrl();
        RuleFor(x => x.Alt).NotNull().MaximumLength(1000).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(x => x.Caption).MaximumLength(2000).IsCleanText();
    }
}

/// <summary>Shape rules per block type; an untyped block (no "type") is refused here.</summary>
public sealed class BodyBlockValidator : AbstractValidator<BodyBlock>
{
    public const int MaxBlockText = 20_000;

    public BodyBlockValidator()
    {
        RuleFor(x => x).Must(b => b.GetType() != typeof(BodyBlock))
            .WithName("type").OverridePropertyName("type")
            .WithMessage("Each block needs a type: paragraph, heading, quote, image or embed.");
        RuleFor(x => x).SetInheritanceValidator(v =>
        {
            v.Add(new ParagraphBlockValidator());
            v.Add(new HeadingBlockValidator());
            v.Add(new QuoteBlockValidator());
            v.Add(new ImageBlockValidator());
            v.Add(new EmbedBlockValidator());
        });
    }
}

// One validator per block type, registered like the others, so the OpenAPI document reads each block's rules.
public sealed class ParagraphBlockValidator : AbstractValidator<ParagraphBlock>
{
    public ParagraphBlockValidator() =>
        RuleFor(p => p.Text).NotEmpty().MaximumLength(BodyBlockValidator.MaxBlockText).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
}

public sealed class HeadingBlockValidator : AbstractValidator<HeadingBlock>
{
    public HeadingBlockValidator()
    {
        RuleFor(h => h.Text).NotEmpty().MaximumLength(1000).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(h => h.Level).InclusiveBetween(2, 6);
    }
}

public sealed class QuoteBlockValidator : AbstractValidator<QuoteBlock>
{
    public QuoteBlockValidator() => RuleFor(q => q.QuoteId).NotEmpty();
}

public sealed class ImageBlockValidator : AbstractValidator<ImageBlock>
{
    public ImageBlockValidator()
    {
        RuleFor(i => i.Url).IsRequiredHttpUrl();
        RuleFor(i => i.Alt).NotNull().MaximumLength(1000).Must(Rules.IsClean).WithMessage(Rules.CleanTextMessage);
        RuleFor(i => i.Caption).MaximumLength(2000).IsCleanText();
    }
}

public sealed class EmbedBlockValidator : AbstractValidator<EmbedBlock>
{
    public EmbedBlockValidator()
    {
        RuleFor(e => e.Url).IsRequiredHttpUrl();
        RuleFor(e => e.Title).MaximumLength(1000).IsCleanText();
        RuleFor(e => e.Kind).IsInEnum();
    }
}

public sealed class ListArticlesQueryValidator : AbstractValidator<ListArticlesQuery>
{
    public ListArticlesQueryValidator()
    {
        RuleFor(x => x.Status).IsOneOf(Wire<ArticleStatus>.All);
        RuleFor(x => x.Language).IsOptionalLanguageTag();
        RuleFor(x => x.Tag).MaximumLength(100).IsCleanText();
        RuleFor(x => x.Q).IsSearch();
        RuleFor(x => x.Sort).IsOneOf(ArticleRepository.Sorts);
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Include).MaximumLength(200);
        RuleFor(x => x.PublishedAfter).IsPlausibleInstant();
        RuleFor(x => x.PublishedBefore).IsPlausibleInstant();
        RuleFor(x => x.UpdatedSince).IsPlausibleInstant();
        RuleFor(x => x.PublishedBefore).GreaterThan(x => x.PublishedAfter)
            .When(x => x.PublishedAfter is not null && x.PublishedBefore is not null);
    }
}

public sealed class PublishRequestValidator : AbstractValidator<PublishRequest>
{
    public PublishRequestValidator() => RuleFor(x => x.PublishedAt).IsPlausibleInstant();
}
