using System.Text;
using ContentApi.Validation;
using FluentValidation;

namespace ContentApi.Imports;

public sealed class ImportRequestValidator : AbstractValidator<ImportRequest>
{
    /// <summary>The largest story accepted, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 200 * 1024;

    public ImportRequestValidator()
    {
        RuleFor(x => x.Text).NotNull().WithMessage("Send the story's text.")
            .Must(t => t is null || !string.IsNullOrWhiteSpace(t)).WithMessage("The story is empty: send its text.")
            .Must(t => t is null || Encoding.UTF8.GetByteCount(t) <= MaxTextBytes).WithMessage($"The story is larger than {MaxTextBytes / 1024} KB; send one story at a time.")
            .Must(t => t is null || !ImportBody.LooksBinary(t)).WithMessage("The story is not text: it holds NUL or other control characters, as binary files do.")
            .IsCleanText();
        RuleFor(x => x.Language).Matches("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$").WithMessage("Use a BCP 47 language tag such as id or en.");
        RuleFor(x => x.Title).MaximumLength(300).IsCleanText();
        RuleFor(x => x.PublishedAt).IsPlausibleInstant();
        RuleFor(x => x.Section).IsShortText();
        RuleFor(x => x.SourceUrl).IsHttpUrl();
    }
}
