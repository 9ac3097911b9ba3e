using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Plans;
using CrmTenancy.Domain.Plans;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Platform.ChangeTenantPlan;

/// <summary>
/// Moves a tenant to another plan (operators only, audited). A downgrade below the tenant's usage is allowed: nothing is
/// removed, and creates of a kind over its new limit are refused until the usage is under it.
/// </summary>
public sealed record ChangeTenantPlan(Guid TenantId, string? Plan) : ICommand<TenantStateDto>, IPlatformRequest;

public sealed class ChangeTenantPlanValidator : AbstractValidator<ChangeTenantPlan>
{
    public ChangeTenantPlanValidator() => RuleFor(x => x.Plan).NotEmpty().MaximumLength(Plan.CodeMaxLength);
}

public sealed class ChangeTenantPlanHandler(IReadRepository<Plan> plans, PlatformTenantChanges changes)
    : IRequestHandler<ChangeTenantPlan, TenantStateDto>
{
    public async Task<TenantStateDto> Handle(ChangeTenantPlan request, CancellationToken cancellationToken)
    {
        var plan = await plans.FirstOrDefaultAsync(new PlansSpecification(request.Plan), cancellationToken)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("plan", $"'{request.Plan}' is not a plan; the plans are listed at GET /api/plans.")]);
        return await changes.ChangeAsync(request.TenantId, "tenant.change-plan", $"plan={plan.Code}", t => t.ChangePlan(plan.Code), cancellationToken);
    }
}
