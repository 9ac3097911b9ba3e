using System.Linq.Expressions;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers.GetCustomerStats;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Customers;

public sealed class GetCustomerStatsHandlerTests
{
    [Fact]
    public async Task Counts_list_every_status_and_source_in_order_with_zeros_and_the_total_is_their_sum()
    {
        var customers = Substitute.For<IReadRepository<Customer>>();
        customers.CountByAsync(Arg.Any<ISpecification<Customer>>(), Arg.Any<Expression<Func<Customer, CustomerStatus>>>(), Arg.Any<CancellationToken>())
            .Returns(new Dictionary<CustomerStatus, int> { [CustomerStatus.Churned] = 1, [CustomerStatus.Active] = 2 });
        customers.CountByAsync(Arg.Any<ISpecification<Customer>>(), Arg.Any<Expression<Func<Customer, CustomerSource>>>(), Arg.Any<CancellationToken>())
            .Returns(new Dictionary<CustomerSource, int> { [CustomerSource.Web] = 3 });

        var stats = await new GetCustomerStatsHandler(customers, TestData.TenantContext(TestData.TenantA)).Handle(new GetCustomerStats(), CancellationToken.None);

        Assert.Equal(3, stats.Total);
        Assert.Equal([new(CustomerStatus.Active, 2), new(CustomerStatus.Inactive, 0), new(CustomerStatus.Churned, 1)], stats.ByStatus);
        Assert.Equal(Enum.GetValues<CustomerSource>(), stats.BySource.Select(s => s.Source));
        Assert.Equal(3, stats.BySource.Single(s => s.Source == CustomerSource.Web).Count);
        await customers.Received(1).CountByAsync(
            Arg.Is<ISpecification<Customer>>(s => ((ITenantScopedSpecification)s).TenantId == TestData.TenantA),
            Arg.Any<Expression<Func<Customer, CustomerStatus>>>(), Arg.Any<CancellationToken>());
        await customers.Received(1).CountByAsync(
            Arg.Is<ISpecification<Customer>>(s => ((ITenantScopedSpecification)s).TenantId == TestData.TenantA),
            Arg.Any<Expression<Func<Customer, CustomerSource>>>(), Arg.Any<CancellationToken>());
    }
}
