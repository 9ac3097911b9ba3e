using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Platform;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// The explicit cross-tenant path for platform operators: read-only queries over every tenant, through a database
/// role that PostgreSQL lets read across tenants, and the audit record of each read. Nothing else crosses tenants.
/// </summary>
public interface IPlatformReadStore
{
    Task<IReadOnlyList<TenantUsageDto>> ListTenantsAsync(CancellationToken cancellationToken);

    Task<bool> TenantExistsAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>Customers of every tenant, or of one, with their tenant and owner.</summary>
    Task<PagedResult<PlatformCustomerDto>> ListCustomersAsync(
        Guid? tenantId, string? search, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>Writes one access record per tenant whose data the operator read (who, when, what).</summary>
    Task RecordAccessAsync(IReadOnlyCollection<Guid> tenantIds, string action, string? details, CancellationToken cancellationToken);
}
