using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Customers;

public sealed class CustomerStatusTests
{
    [Theory]
    [InlineData(CustomerStatus.Active, CustomerStatus.Inactive)]
    [InlineData(CustomerStatus.Active, CustomerStatus.Churned)]
    [InlineData(CustomerStatus.Inactive, CustomerStatus.Active)]
    [InlineData(CustomerStatus.Inactive, CustomerStatus.Churned)]
    [InlineData(CustomerStatus.Churned, CustomerStatus.Active)]
    public void ChangeStatus_allows_the_transition_and_raises_CustomerStatusChanged(CustomerStatus from, CustomerStatus to)
    {
        var customer = TestData.CustomerIn(from);

        customer.ChangeStatus(to);

        Assert.Equal(to, customer.Status);
        Assert.Equal(new CustomerStatusChanged(customer.TenantId, customer.Id, from, to), Assert.Single(customer.DomainEvents));
    }

    [Theory]
    [InlineData(CustomerStatus.Active)]
    [InlineData(CustomerStatus.Inactive)]
    [InlineData(CustomerStatus.Churned)]
    public void ChangeStatus_to_the_same_status_is_refused(CustomerStatus status)
    {
        var customer = TestData.CustomerIn(status);

        var error = Assert.Throws<DomainRuleException>(() => customer.ChangeStatus(status));

        Assert.Equal("customer-status-unchanged", error.Rule);
        Assert.Equal(status, customer.Status);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void ChangeStatus_from_churned_to_inactive_is_refused()
    {
        var customer = TestData.CustomerIn(CustomerStatus.Churned);

        var error = Assert.Throws<DomainRuleException>(() => customer.ChangeStatus(CustomerStatus.Inactive));

        Assert.Equal("customer-status-transition", error.Rule);
        Assert.Equal(CustomerStatus.Churned, customer.Status);
        Assert.Empty(customer.DomainEvents);
    }
}
