using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Plans;

namespace CrmTenancy.Application.Plans;

/// <summary>Every plan with its limits, smallest first (the catalogue is not tenant data).</summary>
public sealed class PlansSpecification : Specification<Plan>
{
    public PlansSpecification(string? code = null)
    {
        if (code is not null)
            Query.Where(p => p.Code == code);
        Query.OrderBy(p => p.Rank).AsNoTracking();
    }
}

/// <summary>The tenant's counters: every resource's count, and the monthly ones' current month.</summary>
public sealed class CurrentUsageSpecification : TenantSpecification<TenantUsage>
{
    public CurrentUsageSpecification(ITenantContext tenant, string month) : base(tenant) =>
        Query.Where(u => u.Period == "" || u.Period == month).AsNoTracking();
}

public sealed record PlanLimitDto(string Resource, string Description, int? Limit, bool Monthly);

public sealed record PlanDto(string Code, string Name, IReadOnlyList<PlanLimitDto> Limits)
{
    public static PlanDto From(Plan plan) => new(plan.Code, plan.Name,
        plan.Limits.OrderBy(l => PlanCatalogue.Order(l.Resource)).ThenBy(l => l.Resource)
            .Select(l => new PlanLimitDto(l.Resource, PlanResources.Describe(l.Resource), l.Maximum, PlanCatalogue.IsMonthly(l.Resource)))
            .ToList());
}

/// <summary>How the limits read in lists: the order of the plans' table, and which are per calendar month.</summary>
public static class PlanCatalogue
{
    private static readonly string[] Ordered =
    [
        PlanResources.ActiveUsers, PlanResources.Customers, PlanResources.Contacts, PlanResources.Leads, PlanResources.Campaigns,
        PlanResources.CallsPerMonth, PlanResources.EmailTemplates, PlanResources.Workflows, PlanResources.EmailsPerMonth,
        PlanResources.ApiRequestsPerMinute,
    ];

    public static int Order(string resource) => Array.IndexOf(Ordered, resource) is var i and >= 0 ? i : Ordered.Length;

    public static bool IsMonthly(string resource) => resource.EndsWith("PerMonth", StringComparison.Ordinal);

    /// <summary>The period key of a monthly counter: "2026-12" (UTC).</summary>
    public static string Month(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
