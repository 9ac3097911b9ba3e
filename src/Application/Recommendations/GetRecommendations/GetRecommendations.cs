using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Activities;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Customers.GetCustomerStats;
using CrmTenancy.Application.Leads;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Tenants;
using MediatR;

namespace CrmTenancy.Application.Recommendations.GetRecommendations;

/// <summary>
/// The next best actions for one customer, from the explicit rules (every <see cref="IRecommendationRule"/>), with the
/// tenant's thresholds. A customer the caller may not see is a 404; the facts count only what the caller may see.
/// </summary>
public sealed record GetRecommendations(Guid Id) : IQuery<IReadOnlyList<Recommendation>>;

public sealed class GetRecommendationsHandler(
    IReadRepository<Customer> customers, IReadRepository<Contact> contacts, IReadRepository<Activity> activities,
    IReadRepository<Lead> leads, IReadRepository<Tenant> tenants, ITenantContext tenant, IEnumerable<IRecommendationRule> rules, TimeProvider clock)
    : IRequestHandler<GetRecommendations, IReadOnlyList<Recommendation>>
{
    public async Task<IReadOnlyList<Recommendation>> Handle(GetRecommendations request, CancellationToken cancellationToken)
    {
        var customer = await customers.GetDtoAsync<Customer, CustomerDto>(tenant, request.Id, cancellationToken);
        var settings = (await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken))?.Recommendations
            ?? RecommendationSettings.Default;
        var lastActivity = await activities.ProjectFirstOrDefaultAsync<ActivityDto>(
            new ActivityListSpecification(tenant, new ActivityFilter(RecordId: customer.Id), 1, 1), cancellationToken);
        var facts = new CustomerFacts(
            customer.Id, customer.Status, customer.AssigneeId, customer.TotalRevenue, customer.LastPurchaseDate,
            await contacts.AnyAsync(new PrimaryContactSpecification(tenant, customer.Id), cancellationToken),
            lastActivity?.OccurredAt,
            customer.CreatedAt,
            customer.TotalRevenue > 0 ? await customers.CountAsync(new MoreRevenueSpecification(tenant, customer.TotalRevenue), cancellationToken) : 0,
            customer.TotalRevenue > 0 ? await customers.CountAsync(new AllCustomersSpecification(tenant), cancellationToken) : 0,
            customer.Email is { } email ? (await leads.ProjectFirstOrDefaultAsync<LeadDto>(new OpenLeadWithEmailSpecification(tenant, email), cancellationToken))?.Id : null);
        var now = clock.GetUtcNow();
        return [.. rules.Select(rule => rule.Evaluate(facts, settings, now)).OfType<Recommendation>().OrderBy(r => r.Code, StringComparer.Ordinal)];
    }
}

/// <summary>The customer's primary contact, if the caller may see it.</summary>
public sealed class PrimaryContactSpecification : TenantSpecification<Contact>
{
    public PrimaryContactSpecification(ITenantContext tenant, Guid customerId) : base(tenant) =>
        Query.Where(c => c.CustomerId == customerId && c.IsPrimary);
}

/// <summary>The customers (the caller may see) with more revenue than <paramref name="revenue"/>: the revenue index counts them.</summary>
public sealed class MoreRevenueSpecification : TenantSpecification<Customer>
{
    public MoreRevenueSpecification(ITenantContext tenant, decimal revenue) : base(tenant) =>
        Query.Where(c => c.TotalRevenue > revenue);
}

/// <summary>An open lead (the caller may see) with this email, compared as a capture compares it.</summary>
public sealed class OpenLeadWithEmailSpecification : TenantSpecification<Lead>
{
    public OpenLeadWithEmailSpecification(ITenantContext tenant, string email) : base(tenant)
    {
        Query.Where(LeadCriteria.OpenWithEmail(Domain.Common.EmailAddress.Normalize(email)))
            .OrderByDescending(l => l.CapturedAt).AsNoTracking();
    }
}
