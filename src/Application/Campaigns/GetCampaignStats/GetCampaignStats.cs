using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Analytics;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Campaigns;
using MediatR;

namespace CrmTenancy.Application.Campaigns.GetCampaignStats;

/// <summary>
/// A campaign's statistics (404 when the caller may not see the campaign). Calls per day run from the launch (or the
/// first call) to the end (or today), the last 366 days of that at most.
/// </summary>
public sealed record GetCampaignStats(Guid Id) : IQuery<CampaignStatsDto>
{
    public const int MaxDays = 366;
}

public sealed class GetCampaignStatsHandler(IReadRepository<Campaign> campaigns, IAnalyticsReadStore analytics, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<GetCampaignStats, CampaignStatsDto>
{
    public async Task<CampaignStatsDto> Handle(GetCampaignStats request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.ProjectFirstOrDefaultAsync<CampaignDto>(new ReadByIdSpecification<Campaign>(tenant, request.Id), cancellationToken)
                       ?? throw new NotFoundException(nameof(Campaign), request.Id);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = campaign.EndedAt is { } ended ? DateOnly.FromDateTime(ended.UtcDateTime) : today;
        var first = DateOnly.FromDateTime((campaign.LaunchedAt ?? campaign.CreatedAt).UtcDateTime);
        if (last < first)
            last = first;
        if (last.DayNumber - first.DayNumber >= GetCampaignStats.MaxDays)
            first = last.AddDays(-(GetCampaignStats.MaxDays - 1));
        return await analytics.ReadCampaignStatsAsync(campaign.Id, first, last, cancellationToken);
    }
}
