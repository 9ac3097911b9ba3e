using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Plans;
using CrmTenancy.Domain.Tenants;
using MediatR;

namespace CrmTenancy.Application.Plans.GetUsage;

/// <summary>The tenant's plan and, for each of its limits, what is in use: counts now, monthly ones this calendar month (UTC).</summary>
public sealed record GetUsage : IQuery<UsageDto>;

public sealed record LimitUsageDto(string Resource, string Description, int? Limit, int Used, string? Period, bool Reached);

public sealed record UsageDto(string Plan, string PlanName, IReadOnlyList<LimitUsageDto> Limits);

public sealed class GetUsageHandler(
    IReadRepository<Tenant> tenants, IReadRepository<Plan> plans, IReadRepository<TenantUsage> usage, IApiRequestMeter requests,
    ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<GetUsage, UsageDto>
{
    public async Task<UsageDto> Handle(GetUsage request, CancellationToken cancellationToken)
    {
        var current = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken)
            ?? throw new NotFoundException(nameof(Tenant), tenant.TenantId);
        var plan = PlanDto.From(await plans.FirstOrDefaultAsync(new PlansSpecification(current.PlanCode), cancellationToken)
            ?? throw new NotFoundException(nameof(Plan), tenant.TenantId));
        var month = PlanCatalogue.Month(clock.GetUtcNow());
        var counters = (await usage.ListAsync(new CurrentUsageSpecification(tenant, month), cancellationToken))
            .ToDictionary(u => u.Resource, u => u.Used);
        var limits = plan.Limits.Select(limit =>
        {
            var (used, period) = limit.Resource == PlanResources.ApiRequestsPerMinute
                ? (requests.RequestsThisMinute(tenant.TenantId), "minute")
                : (counters.GetValueOrDefault(limit.Resource), limit.Monthly ? month : null);
            return new LimitUsageDto(limit.Resource, limit.Description, limit.Limit, used, period, limit.Limit is { } max && used >= max);
        }).ToList();
        return new UsageDto(plan.Code, plan.Name, limits);
    }
}
