using System.Text;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Customers;

/// <summary>Tag normalisation: trimmed, lowercase, inner whitespace collapsed to one hyphen.</summary>
public static class CustomerTags
{
    public const int MaxLength = 50;
    public const int MaxPerCustomer = 50;

    /// <summary>
    /// <paramref name="current"/> with <paramref name="added"/> normalised and merged in (tags already there are
    /// ignored, the order kept); more than <see cref="MaxPerCustomer"/> is refused, naming <paramref name="holder"/>.
    /// </summary>
    public static string[] Merge(string[] current, IEnumerable<string> added, string holder)
    {
        var merged = current.ToList();
        foreach (var tag in added.Select(Normalise))
        {
            if (!merged.Contains(tag))
                merged.Add(tag);
        }
        if (merged.Count > MaxPerCustomer)
            throw new DomainRuleException("too-many-tags", $"A {holder} can have at most {MaxPerCustomer} tags.");
        return [.. merged];
    }

    /// <summary><paramref name="current"/> without <paramref name="tag"/> (normalised); unchanged if it is not there.</summary>
    public static string[] Without(string[] current, string tag)
    {
        var normalised = Normalise(tag);
        return current.Contains(normalised) ? current.Where(t => t != normalised).ToArray() : current;
    }

    public static string Normalise(string tag)
    {
        var builder = new StringBuilder(tag.Length);
        var pendingSeparator = false;
        foreach (var ch in tag.Trim())
        {
            if (char.IsWhiteSpace(ch) || ch == '-' || ch == '_')
            {
                pendingSeparator = builder.Length > 0;
                continue;
            }
            if (pendingSeparator)
            {
                builder.Append('-');
                pendingSeparator = false;
            }
            builder.Append(char.ToLowerInvariant(ch));
        }
        var normalised = builder.ToString();
        if (normalised.Length == 0)
            throw new DomainRuleException("tag-empty", "A tag must contain at least one letter or digit.");
        if (normalised.Length > MaxLength)
            throw new DomainRuleException("tag-too-long", $"A tag must be at most {MaxLength} characters.");
        return normalised;
    }
}
