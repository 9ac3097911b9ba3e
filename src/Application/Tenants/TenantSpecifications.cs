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

public sealed record TenantSettingsDto(
    Guid Id, string Name, string Slug, TenantStatus Status, RecordVisibility RecordVisibility, bool PasswordlessSignIn, int Version)
    : Common.Mapping.IVersioned;
