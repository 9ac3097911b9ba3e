using CrmTenancy.Application.Analytics;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// The tenant dashboard's aggregates, computed by the database (grouped counts and sums on indexed columns, never rows
/// loaded into memory) for the current tenant and, under owner-only visibility, the member's records alone.
/// </summary>
public interface IAnalyticsReadStore
{
    Task<DashboardDto> ReadDashboardAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
