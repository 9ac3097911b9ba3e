using Ardalis.Specification;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure.Persistence.Specifications;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// The product's EF Core evaluator applies Ardalis's criteria, order and paging, and refuses what it does not apply
/// rather than ignoring it (a search criterion or an include silently dropped would widen a read).
/// </summary>
public sealed class EfSpecificationEvaluatorTests
{
    private sealed class Named : Specification<Customer>
    {
        public Named() => Query.Where(c => c.Name != "Beta").OrderByDescending(c => c.Name).Skip(1).Take(1);
    }

    private sealed class WithInclude : Specification<Customer>
    {
        public WithInclude() => Query.Include(c => c.Contacts);
    }

    private sealed class WithSearch : Specification<Customer>
    {
        public WithSearch() => Query.Search(c => c.Name, "%acme%");
    }

    private static readonly Guid Tenant = Guid.CreateVersion7();

    private static IQueryable<Customer> Customers() =>
        new[] { "Alpha", "Beta", "Gamma", "Delta" }
            .Select(name => Customer.Create(Tenant, new CustomerDetails(name), CustomerSource.Direct, null)).AsQueryable();

    [Fact]
    public void Criteria_order_and_paging_are_applied_and_a_count_sees_the_criteria_alone()
    {
        var page = EfSpecificationEvaluator.Default.GetQuery(Customers(), new Named()).Select(c => c.Name).ToList();
        var counted = EfSpecificationEvaluator.Default.GetQuery(Customers(), new Named(), evaluateCriteriaOnly: true).Count();

        Assert.Equal(["Delta"], page);
        Assert.Equal(3, counted);
    }

    [Fact]
    public void Includes_and_search_criteria_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => EfSpecificationEvaluator.Default.GetQuery(Customers(), new WithInclude()));
        Assert.Throws<NotSupportedException>(() => EfSpecificationEvaluator.Default.GetQuery(Customers(), new WithSearch()));
    }
}
