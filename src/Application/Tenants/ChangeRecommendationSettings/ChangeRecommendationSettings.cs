using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Tenants.ChangeRecommendationSettings;

/// <summary>The thresholds of the tenant's customer recommendations; every value is required.</summary>
public sealed record ChangeRecommendationSettings(int? FollowUpAfterDays, int? TopRevenuePercent, int? CheckInWithinDays, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class ChangeRecommendationSettingsValidator : AbstractValidator<ChangeRecommendationSettings>
{
    public ChangeRecommendationSettingsValidator()
    {
        RuleFor(x => x.FollowUpAfterDays).NotNull().InclusiveBetween(1, RecommendationSettings.MaxDays);
        RuleFor(x => x.TopRevenuePercent).NotNull().InclusiveBetween(1, RecommendationSettings.MaxPercent);
        RuleFor(x => x.CheckInWithinDays).NotNull().InclusiveBetween(1, RecommendationSettings.MaxDays);
    }
}

public sealed class ChangeRecommendationSettingsHandler(IRepository<Tenant> tenants, ITenantContext tenant)
    : IRequestHandler<ChangeRecommendationSettings, Unit>
{
    public async Task<Unit> Handle(ChangeRecommendationSettings request, CancellationToken cancellationToken)
    {
        var current = await tenants.LoadCurrentForChangeAsync(tenant, request.ExpectedVersion, cancellationToken);
        current.ChangeRecommendations(RecommendationSettings.Of(request.FollowUpAfterDays!.Value, request.TopRevenuePercent!.Value, request.CheckInWithinDays!.Value));
        return Unit.Value;
    }
}
