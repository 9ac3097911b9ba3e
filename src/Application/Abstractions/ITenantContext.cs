namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// The tenant of the current request, resolved only from the validated access token's tenant_id claim.
/// Handlers take it and pass it to tenant-scoped specifications; background work sets it from its payload.
/// </summary>
public interface ITenantContext
{
    bool IsResolved { get; }

    /// <summary>The tenant id; throws <see cref="Common.Errors.TenantRequiredException"/> when none is resolved.</summary>
    Guid TenantId { get; }

    /// <summary>
    /// Set when the caller is a member of a tenant whose record visibility is owner-only: they see and change only
    /// records owned by or assigned to this user. Null when the caller sees all the tenant's records.
    /// </summary>
    Guid? OwnerScope { get; }
}
