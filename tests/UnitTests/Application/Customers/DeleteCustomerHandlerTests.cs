using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Customers.DeleteCustomer;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Customers;

public sealed class DeleteCustomerHandlerTests
{
    [Fact]
    public async Task Unlinks_every_contact_of_the_customer_and_removes_the_customer()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var other = TestData.Customer(TestData.TenantA, "Other");
        var primary = TestData.Contact(TestData.TenantA, "Ann", linkedTo: customer, primary: true);
        var secondary = TestData.Contact(TestData.TenantA, "Bob", linkedTo: customer);
        var elsewhere = TestData.Contact(TestData.TenantA, "Cid", linkedTo: other, primary: true);
        var customers = InMemory.Repository(TestData.TenantA, customer, other);
        var contacts = InMemory.Repository(TestData.TenantA, primary, secondary, elsewhere);
        var handler = new DeleteCustomerHandler(customers, contacts, TestData.TenantContext(TestData.TenantA));

        await handler.Handle(new DeleteCustomer(customer.Id, ExpectedVersion: 4), CancellationToken.None);

        Assert.All([primary, secondary], c =>
        {
            Assert.Null(c.CustomerId);
            Assert.False(c.IsPrimary);
        });
        Assert.Equal(other.Id, elsewhere.CustomerId);
        Assert.True(elsewhere.IsPrimary);
        customers.Received(1).ExpectVersion(customer, 4);
        customers.Received(1).Remove(customer);
        customers.DidNotReceive().Remove(other);
        contacts.DidNotReceiveWithAnyArgs().Remove(default!);
        Assert.Equal(new CustomerDeleted(TestData.TenantA, customer.Id), Assert.Single(customer.DomainEvents));
    }

    [Fact]
    public async Task A_customer_of_another_tenant_is_not_found_and_nothing_changes()
    {
        var foreign = TestData.Customer(TestData.TenantB);
        var contact = TestData.Contact(TestData.TenantB, linkedTo: foreign);
        var customers = InMemory.Repository(TestData.TenantA, foreign);
        var contacts = InMemory.Repository(TestData.TenantA, contact);
        var handler = new DeleteCustomerHandler(customers, contacts, TestData.TenantContext(TestData.TenantA));

        await Assert.ThrowsAsync<NotFoundException>(() => handler.Handle(new DeleteCustomer(foreign.Id), CancellationToken.None));

        customers.DidNotReceiveWithAnyArgs().Remove(default!);
        Assert.Equal(foreign.Id, contact.CustomerId);
        Assert.Empty(foreign.DomainEvents);
    }
}
