using System.Text;

namespace ContentApi.Validation;

public static class ValidationErrors
{
    public static Dictionary<string, string[]> From(FluentValidation.Results.ValidationResult result) =>
        result.Errors
            .GroupBy(e => JsonPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    /// <summary>"Body[3].Text" becomes "body[3].text": errors are keyed by the JSON names clients sent.</summary>
    public static string JsonPath(string propertyName)
    {
        var sb = new StringBuilder(propertyName.Length);
        var startOfSegment = true;
        foreach (var c in propertyName)
        {
            sb.Append(startOfSegment ? char.ToLowerInvariant(c) : c);
            startOfSegment = c is '.';
        }
        return sb.ToString();
    }
}
