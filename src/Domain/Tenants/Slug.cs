using System.Text.RegularExpressions;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Tenants;

/// <summary>
/// A tenant's slug: the organisation's name in sign-in forms and handles. The one definition of its form (1 to 63
/// lowercase letters, digits or hyphens, starting and ending with a letter or digit) and of its normalisation.
/// </summary>
public readonly partial record struct Slug
{
    public const int MaxLength = 63;
    public const string Rule = "A slug is 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.";

    private Slug(string value) => Value = value;

    public string Value { get; }

    /// <summary>Trimmed and lowercased, as every lookup compares it.</summary>
    public static string Normalize(string? slug) => slug?.Trim().ToLowerInvariant() ?? "";

    public static bool IsValid(string? slug) => Normalize(slug) is { Length: > 0 and <= MaxLength } normalized && Pattern().IsMatch(normalized);

    public static Slug From(string? slug) =>
        IsValid(slug) ? new Slug(Normalize(slug)) : throw new DomainRuleException("slug-invalid", Rule);

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex Pattern();
}
