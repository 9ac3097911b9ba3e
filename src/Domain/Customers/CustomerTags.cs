using System.Text;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Customers;

/// <summary>Tag normalisation: trimmed, lowercase, inner whitespace collapsed to one hyphen.</summary>
public static class CustomerTags
{
    public const int MaxLength = 50;
    public const int MaxPerCustomer = 50;

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
