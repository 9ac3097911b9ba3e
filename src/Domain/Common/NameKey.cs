namespace CrmTenancy.Domain.Common;

/// <summary>A name as uniqueness within a tenant compares it: trimmed, runs of spaces as one, upper case.</summary>
public static class NameKey
{
    public static string Of(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
