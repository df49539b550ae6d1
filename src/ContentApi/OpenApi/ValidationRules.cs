using System.Globalization;
using System.Text.Json.Nodes;
using ContentApi.Validation;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;

namespace ContentApi.OpenApi;

/// <summary>
/// Reads a FluentValidation validator's rule metadata for one member and writes what JSON Schema can say about it:
/// maxLength/minLength, pattern, format iri, minimum/maximum, enum. The validators stay the one source of truth; rules with a
/// condition (When/Unless) are left out, since the document cannot say when they apply.
/// </summary>
public static class ValidationRules
{
    public static IEnumerable<IPropertyValidator> For(IValidator validator, string member) =>
        validator.CreateDescriptor().GetRulesForMember(member)
            .SelectMany(r => r.Components)
            .Where(c => !c.HasCondition && !c.HasAsyncCondition)
            .Select(c => c.Validator);

    public static void Apply(OpenApiSchema schema, IEnumerable<IPropertyValidator> validators)
    {
        var isString = schema.Type is { } t && t.HasFlag(JsonSchemaType.String);
        foreach (var v in validators)
        {
            switch (v)
            {
                case ILengthValidator length when isString:
                    if (length.Max > 0) schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, length.Max);
                    if (length.Min > 0) schema.MinLength = Math.Max(schema.MinLength ?? 0, length.Min);
                    break;
                case INotEmptyValidator when isString && schema.Format is null:
                    schema.MinLength = Math.Max(schema.MinLength ?? 0, 1);
                    break;
                // iri, not uri: the rule takes Unicode hosts and paths (https://例え.jp/記事), which RFC 3986 does not.
                case IHttpUrlValidator when isString:
                    schema.Format = "iri";
                    break;
                case IRegularExpressionValidator regex when isString:
                    schema.Pattern = regex.Expression;
                    break;
                case IBetweenValidator between when IsNumber(between.From) && IsNumber(between.To):
                    schema.Minimum = Number(between.From);
                    schema.Maximum = Number(between.To);
                    break;
                case IComparisonValidator { ValueToCompare: { } bound } comparison when IsNumber(bound):
                    if (comparison.Comparison is Comparison.GreaterThanOrEqual) schema.Minimum = Number(bound);
                    if (comparison.Comparison is Comparison.LessThanOrEqual) schema.Maximum = Number(bound);
                    if (comparison.Comparison is Comparison.GreaterThan) schema.ExclusiveMinimum = Number(bound);
                    if (comparison.Comparison is Comparison.LessThan) schema.ExclusiveMaximum = Number(bound);
                    break;
                case not null when v.GetType().IsGenericType && v.GetType().GetGenericTypeDefinition() == typeof(OneOfValidator<>):
                    var allowed = (IReadOnlyCollection<string>)v.GetType().GetProperty(nameof(OneOfValidator<object>.Allowed))!.GetValue(v)!;
                    var nullable = schema.Type is { } nt && nt.HasFlag(JsonSchemaType.Null);
                    schema.Enum = [.. allowed.Select(a => (JsonNode)JsonValue.Create(a)!), .. nullable ? new JsonNode[] { null! } : []];
                    break;
            }
        }
    }

    private static bool IsNumber(object? value) => value is int or long or short or byte or decimal or double or float;

    private static string Number(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;
}
