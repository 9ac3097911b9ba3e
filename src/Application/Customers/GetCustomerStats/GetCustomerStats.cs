using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Customers;
using MediatR;

namespace CrmTenancy.Application.Customers.GetCustomerStats;

/// <summary>The tenant's customers counted: in all, by status and by source (only the records the caller may see), of one company if asked.</summary>
public sealed record GetCustomerStats(Guid? CompanyId = null) : IQuery<CustomerStats>;

/// <summary>Every status and every source is listed, in their declared order, with zero where no customer has it.</summary>
public sealed record CustomerStats(int Total, IReadOnlyList<StatusCount> ByStatus, IReadOnlyList<SourceCount> BySource)
{
    /// <summary>From grouped counts (absent values are zero); the total is their sum.</summary>
    public static CustomerStats Of(IReadOnlyDictionary<CustomerStatus, int> byStatus, IReadOnlyDictionary<CustomerSource, int> bySource) => new(
        byStatus.Values.Sum(),
        [.. Enum.GetValues<CustomerStatus>().Select(s => new StatusCount(s, byStatus.GetValueOrDefault(s)))],
        [.. Enum.GetValues<CustomerSource>().Select(s => new SourceCount(s, bySource.GetValueOrDefault(s)))]);
}

public sealed record StatusCount(CustomerStatus Status, int Count);

public sealed record SourceCount(CustomerSource Source, int Count);

/// <summary>All the tenant's customers the caller may see (the tenant and owner criteria alone), or those of one company.</summary>
public sealed class AllCustomersSpecification : TenantSpecification<Customer>
{
    public AllCustomersSpecification(ITenantContext tenant, Guid? companyId = null) : base(tenant)
    {
        if (companyId is { } company)
            Query.Where(c => c.CompanyId == company);
    }
}

public sealed class GetCustomerStatsHandler(IReadRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<GetCustomerStats, CustomerStats>
{
    public async Task<CustomerStats> Handle(GetCustomerStats request, CancellationToken cancellationToken)
    {
        var visible = new AllCustomersSpecification(tenant, request.CompanyId);
        // Two grouped counts, each one aggregate statement over the tenant's index; the total is their sum.
        var byStatus = await customers.CountByAsync(visible, c => c.Status, cancellationToken);
        var bySource = await customers.CountByAsync(visible, c => c.Source, cancellationToken);
        return CustomerStats.Of(byStatus, bySource);
    }
}
