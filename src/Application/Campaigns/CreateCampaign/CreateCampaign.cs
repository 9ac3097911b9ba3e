using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Campaigns.CreateCampaign;

public sealed record CreateCampaign : CampaignInput, ICommand<Guid>;

public sealed class CreateCampaignValidator : AbstractValidator<CreateCampaign>
{
    public CreateCampaignValidator() => this.ApplyCampaignInputRules();
}

/// <summary>A new campaign, Draft, owned by the caller (none for an integration).</summary>
public sealed class CreateCampaignHandler(IRepository<Campaign> campaigns, IReadRepository<User> users, ITenantContext tenant, ICurrentUser user)
    : IRequestHandler<CreateCampaign, Guid>
{
    public async Task<Guid> Handle(CreateCampaign request, CancellationToken cancellationToken)
    {
        await request.EnsureUsersOfTenantAsync(users, tenant, cancellationToken);
        var campaign = Campaign.Create(tenant.TenantId, request.ToDetails(), request.Channel, user.UserId);
        campaigns.Add(campaign);
        return campaign.Id;
    }
}
