using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Users;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CrmTenancy.Application.Campaigns.UpdateCampaign;

/// <summary>Replaces a Draft or Scheduled campaign's fields (a launched campaign's audience is what its targets are).</summary>
public sealed record UpdateCampaign : CampaignInput, ICommand<Unit>, IConditionalCommand, IReplacement
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid Id { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateCampaignValidator : AbstractValidator<UpdateCampaign>
{
    public UpdateCampaignValidator() => this.ApplyCampaignInputRules();
}

public sealed class UpdateCampaignHandler(IRepository<Campaign> campaigns, IReadRepository<User> users, ITenantContext tenant) : IRequestHandler<UpdateCampaign, Unit>
{
    public async Task<Unit> Handle(UpdateCampaign request, CancellationToken cancellationToken)
    {
        await request.EnsureUsersOfTenantAsync(users, tenant, cancellationToken);
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        campaign.Update(request.ToDetails(), request.Channel);
        return Unit.Value;
    }
}

/// <summary>Gives the campaign to another active user of the tenant, or to no one.</summary>
public sealed record HandCampaignTo(Guid Id, Guid? OwnerId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class HandCampaignToValidator : AbstractValidator<HandCampaignTo>
{
    public HandCampaignToValidator() => RuleFor(x => x.OwnerId).NotEqual(Guid.Empty);
}

public sealed class HandCampaignToHandler(IRepository<Campaign> campaigns, IReadRepository<User> users, ITenantContext tenant)
    : IRequestHandler<HandCampaignTo, Unit>
{
    public async Task<Unit> Handle(HandCampaignTo request, CancellationToken cancellationToken)
    {
        // Another tenant's user id, a deactivated user and an unknown id all answer alike.
        if (request.OwnerId is { } owner && !await users.AnyAsync(new ActiveUserSpecification(tenant, owner), cancellationToken))
            throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user of this tenant.")]);
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        campaign.HandTo(request.OwnerId);
        return Unit.Value;
    }
}
