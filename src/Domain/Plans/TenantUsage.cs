using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Plans;

/// <summary>
/// A tenant's count of one resource (<see cref="Period"/> empty), or of one calendar month of a monthly one
/// (<see cref="Period"/> "2026-12"). Kept by the database itself, in the transaction of the write it counts
/// (docs/decisions/0027); the application only reads it.
/// </summary>
public sealed class TenantUsage : ITenantOwned
{
    private TenantUsage() { Resource = null!; Period = null!; }

    public Guid TenantId { get; private set; }
    public string Resource { get; private set; }
    public string Period { get; private set; }
    public int Used { get; private set; }
}
