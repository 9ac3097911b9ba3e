using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.Application.Tenants;

/// <summary>The caller's own tenant row (a tenant is not tenant-owned: it is the tenant; row-level security binds it too).</summary>
public sealed class CurrentTenantSpecification : Specification<Tenant>
{
    public CurrentTenantSpecification(ITenantContext tenant, bool tracked = false)
    {
        var id = tenant.TenantId;
        Query.Where(t => t.Id == id);
        if (!tracked)
            Query.AsNoTracking();
    }
}

public static class TenantRepositoryExtensions
{
    /// <summary>The caller's own tenant row, tracked for a settings change under an If-Match precondition; 404 when missing.</summary>
    public static async Task<Tenant> LoadCurrentForChangeAsync(
        this IRepository<Tenant> tenants, ITenantContext tenant, int? expectedVersion, CancellationToken cancellationToken)
    {
        var current = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant, tracked: true), cancellationToken)
            ?? throw new Common.Errors.NotFoundException(nameof(Tenant), tenant.TenantId);
        tenants.ExpectVersion(current, expectedVersion);
        return current;
    }
}

public sealed record TenantSettingsDto(
    Guid Id, string Name, string Slug, TenantStatus Status, RecordVisibility RecordVisibility, bool PasswordlessSignIn,
    RecommendationSettings Recommendations, int Version)
    : Common.Mapping.IVersioned;
