namespace CrmTenancy.Domain.Common;

internal static class Guard
{
    public static string Required(string? value, int maxLength, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            throw new DomainRuleException($"{field}-required", $"{field} is required.");
        return MaxLength(trimmed, maxLength, field)!;
    }

    public static string? Optional(string? value, int maxLength, string field)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : MaxLength(trimmed, maxLength, field);
    }

    /// <summary>A record's assignee: a user id, or none; an empty id is neither.</summary>
    public static Guid? Assignee(Guid? assigneeId) =>
        assigneeId == Guid.Empty ? throw new DomainRuleException("assignee-invalid", "An assignee must be a user id or none.") : assigneeId;

    public static Guid Tenant(Guid tenantId) =>
        tenantId == Guid.Empty ? throw new DomainRuleException("tenant-required", "A tenant is required.") : tenantId;

    private static string? MaxLength(string value, int maxLength, string field) =>
        value.Length > maxLength
            ? throw new DomainRuleException($"{field}-too-long", $"{field} must be at most {maxLength} characters.")
            : value;
}
