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
}
