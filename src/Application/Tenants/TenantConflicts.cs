using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Application.Tenants;

/// <summary>The tenants module's conflicts: the database's constraints map to them.</summary>
public static class TenantConflicts
{
    /// <summary>Slugs are unique across the platform (the unique index on tenants.slug finds it at the save).</summary>
    public static readonly Conflict SlugTaken = new("slug-taken", "A tenant with this slug already exists.");
}
