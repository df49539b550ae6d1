using FluentValidation;
using FluentValidation.Validators;

namespace ContentApi.Validation;

/// <summary>A string that must be one of a fixed set (null passes); the set is public so the OpenAPI document can list it.</summary>
public sealed class OneOfValidator<T>(IReadOnlyCollection<string> allowed) : PropertyValidator<T, string?>
{
    public IReadOnlyCollection<string> Allowed { get; } = allowed;

    public override string Name => "OneOfValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is null || Allowed.Contains(value);

    protected override string GetDefaultMessageTemplate(string errorCode) => $"Use one of: {string.Join(", ", Allowed)}.";
}
