using System.Text.RegularExpressions;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Tenants;

public enum TenantStatus
{
    Active,
    Suspended,
}

/// <summary>An organisation using the product. Not tenant-owned itself: it is the tenant.</summary>
public sealed partial class Tenant : AggregateRoot
{
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = 63;

    private Tenant() { Name = null!; Slug = null!; }

    public string Name { get; private set; }
    public string Slug { get; private set; }
    public TenantStatus Status { get; private set; }

    public static Tenant Create(string name, string slug)
    {
        var normalised = slug?.Trim().ToLowerInvariant() ?? "";
        if (normalised.Length is 0 or > SlugMaxLength || !SlugPattern().IsMatch(normalised))
            throw new DomainRuleException("slug-invalid",
                "A slug is 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.");
        return new Tenant { Name = Guard.Required(name, NameMaxLength, "name"), Slug = normalised, Status = TenantStatus.Active };
    }

    public void Rename(string name) => Name = Guard.Required(name, NameMaxLength, "name");

    public void Suspend()
    {
        if (Status == TenantStatus.Suspended)
            throw new DomainRuleException("tenant-already-suspended", "The tenant is already suspended.");
        Status = TenantStatus.Suspended;
    }

    public void Reactivate()
    {
        if (Status == TenantStatus.Active)
            throw new DomainRuleException("tenant-already-active", "The tenant is already active.");
        Status = TenantStatus.Active;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex SlugPattern();
}
