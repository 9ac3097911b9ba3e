using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Campaigns;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Campaigns.MoveCampaign;

/// <summary>The moves of a campaign's life other than its launch (which makes its targets).</summary>
public enum CampaignMove
{
    Schedule,
    Pause,
    Resume,
    Complete,
    Cancel,
}

public sealed record MoveCampaign(Guid Id, CampaignMove Move, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class MoveCampaignValidator : AbstractValidator<MoveCampaign>
{
    public MoveCampaignValidator() => RuleFor(x => x.Move).IsInEnum();
}

/// <summary>The domain decides which moves are allowed (409 <c>campaign-status-transition</c> otherwise).</summary>
public sealed class MoveCampaignHandler(IRepository<Campaign> campaigns, ITenantContext tenant, TimeProvider clock) : IRequestHandler<MoveCampaign, Unit>
{
    public async Task<Unit> Handle(MoveCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        switch (request.Move)
        {
            case CampaignMove.Schedule: campaign.Schedule(); break;
            case CampaignMove.Pause: campaign.Pause(); break;
            case CampaignMove.Resume: campaign.Resume(); break;
            case CampaignMove.Complete: campaign.Complete(clock.GetUtcNow()); break;
            case CampaignMove.Cancel: campaign.Cancel(clock.GetUtcNow()); break;
            default: throw new ArgumentOutOfRangeException(nameof(request), request.Move, "Not a campaign move.");
        }
        return Unit.Value;
    }
}
