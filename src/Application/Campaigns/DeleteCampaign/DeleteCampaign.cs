using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Campaigns;
using MediatR;

namespace CrmTenancy.Application.Campaigns.DeleteCampaign;

/// <summary>Deletes a Draft campaign (and the targets added to it by id); one that was scheduled or ran is cancelled instead.</summary>
public sealed record DeleteCampaign(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class DeleteCampaignHandler(IRepository<Campaign> campaigns, ITenantContext tenant) : IRequestHandler<DeleteCampaign, Unit>
{
    public async Task<Unit> Handle(DeleteCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        campaign.MarkDeleted();
        campaigns.Remove(campaign);
        return Unit.Value;
    }
}
