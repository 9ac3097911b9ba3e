using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Customers;

public sealed class CustomerAssignmentTests
{
    [Fact]
    public void AssignTo_an_empty_guid_is_refused()
    {
        var customer = TestData.Customer(TestData.TenantA, ownerId: TestData.UserId);

        var error = Assert.Throws<DomainRuleException>(() => customer.AssignTo(Guid.Empty));

        Assert.Equal("assignee-invalid", error.Rule);
        Assert.Equal(TestData.UserId, customer.AssigneeId);
    }

    [Fact]
    public void AssignTo_another_user_changes_the_assignee_and_raises_CustomerAssigned()
    {
        var customer = TestData.Customer(TestData.TenantA, ownerId: TestData.UserId);
        var other = Guid.CreateVersion7();

        customer.AssignTo(other);

        Assert.Equal(other, customer.AssigneeId);
        Assert.Equal(TestData.UserId, customer.OwnerId);
        Assert.Equal(new CustomerAssigned(TestData.TenantA, customer.Id, other), Assert.Single(customer.DomainEvents));
    }

    [Fact]
    public void AssignTo_the_current_assignee_raises_no_event()
    {
        var customer = TestData.Customer(TestData.TenantA, ownerId: TestData.UserId);

        customer.AssignTo(TestData.UserId);

        Assert.Equal(TestData.UserId, customer.AssigneeId);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void AssignTo_none_unassigns_the_customer()
    {
        var customer = TestData.Customer(TestData.TenantA, ownerId: TestData.UserId);

        customer.AssignTo(null);

        Assert.Null(customer.AssigneeId);
        Assert.Equal(new CustomerAssigned(TestData.TenantA, customer.Id, null), Assert.Single(customer.DomainEvents));
    }

    [Fact]
    public void AssignTo_none_when_already_unassigned_raises_no_event()
    {
        var customer = TestData.Customer(TestData.TenantA, ownerId: null);

        customer.AssignTo(null);

        Assert.Empty(customer.DomainEvents);
    }
}
