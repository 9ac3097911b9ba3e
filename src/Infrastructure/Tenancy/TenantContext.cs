using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// The scoped tenant of a unit of work. The web host resolves it from the validated token's tenant_id claim (or,
/// before sign-in, from the tenant an opaque handle names); background work and the demo seeder resolve it from
/// their payload. It can be set once per scope, and so can the owner scope.
/// </summary>
public sealed class TenantContext : ITenantContext
{
    private Guid? _tenantId;

    public bool IsResolved => _tenantId.HasValue;

    public Guid TenantId => _tenantId ?? throw new TenantRequiredException();

    public Guid? OwnerScope { get; private set; }

    public void Resolve(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
            throw new ArgumentException("A tenant id cannot be empty.", nameof(tenantId));
        if (_tenantId.HasValue && _tenantId != tenantId)
            throw new InvalidOperationException("The tenant of a scope cannot change once resolved.");
        _tenantId = tenantId;
    }

    /// <summary>Limits the scope to the records a member owns or is assigned (owner-only record visibility).</summary>
    public void RestrictToOwner(Guid userId)
    {
        if (!_tenantId.HasValue)
            throw new InvalidOperationException("Resolve the tenant before restricting to an owner.");
        if (OwnerScope.HasValue && OwnerScope != userId)
            throw new InvalidOperationException("The owner scope cannot change once set.");
        OwnerScope = userId;
    }
}
