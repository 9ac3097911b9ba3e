using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// The scoped tenant of a unit of work. The web host resolves it from the validated token's tenant_id claim;
/// background work and the demo seeder resolve it from their payload. It can be set once per scope.
/// </summary>
public sealed class TenantContext : ITenantContext
{
    private Guid? _tenantId;

    public bool IsResolved => _tenantId.HasValue;

    public Guid TenantId => _tenantId ?? throw new TenantRequiredException();

    public void Resolve(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
            throw new ArgumentException("A tenant id cannot be empty.", nameof(tenantId));
        if (_tenantId.HasValue && _tenantId != tenantId)
            throw new InvalidOperationException("The tenant of a scope cannot change once resolved.");
        _tenantId = tenantId;
    }
}
