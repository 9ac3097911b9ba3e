using CrmTenancy.Application.Analytics;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// The tenant dashboard's aggregates, computed by the database (grouped counts and sums on indexed columns, never rows
/// loaded into memory) for the current tenant and, under owner-only visibility, the member's records alone.
/// </summary>
public interface IAnalyticsReadStore
{
    /// <summary>The dashboard over the range; with <paramref name="companyId"/>, the customers and leads of that company.</summary>
    Task<DashboardDto> ReadDashboardAsync(DateTimeOffset from, DateTimeOffset to, Guid? companyId, CancellationToken cancellationToken);

    /// <summary>
    /// One campaign's statistics from its tallies: its targets by state, its calls by outcome with their durations, and
    /// its calls per UTC day from <paramref name="firstDay"/> to <paramref name="lastDay"/> (zero-filled).
    /// </summary>
    Task<CampaignStatsDto> ReadCampaignStatsAsync(Guid campaignId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken);
}
