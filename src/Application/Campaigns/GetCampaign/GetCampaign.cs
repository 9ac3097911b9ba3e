using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Campaigns;
using MediatR;

namespace CrmTenancy.Application.Campaigns.GetCampaign;

public sealed record GetCampaign(Guid Id) : IGetById<Campaign, CampaignDto>;

public sealed class GetCampaignHandler(IReadRepository<Campaign> campaigns, ITenantContext tenant) : IRequestHandler<GetCampaign, CampaignDto>
{
    public Task<CampaignDto> Handle(GetCampaign request, CancellationToken cancellationToken) =>
        campaigns.GetDtoAsync<Campaign, CampaignDto>(tenant, request.Id, cancellationToken);
}
