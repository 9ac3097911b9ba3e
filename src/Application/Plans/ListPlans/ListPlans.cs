using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Plans;
using MediatR;

namespace CrmTenancy.Application.Plans.ListPlans;

/// <summary>The plans on offer with their limits (null: unlimited).</summary>
public sealed record ListPlans : IQuery<IReadOnlyList<PlanDto>>, IAllowWithoutTenant;

public sealed class ListPlansHandler(IReadRepository<Plan> plans) : IRequestHandler<ListPlans, IReadOnlyList<PlanDto>>
{
    public async Task<IReadOnlyList<PlanDto>> Handle(ListPlans request, CancellationToken cancellationToken) =>
        (await plans.ListAsync(new PlansSpecification(), cancellationToken)).Select(PlanDto.From).ToList();
}
