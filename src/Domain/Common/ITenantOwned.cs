namespace CrmTenancy.Domain.Common;

/// <summary>
/// Data that belongs to exactly one tenant. Every read goes through a tenant-scoped specification,
/// every write is checked against the caller's tenant, and the table carries the tenant in its keys.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
