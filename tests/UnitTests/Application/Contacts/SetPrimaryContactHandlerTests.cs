using CrmTenancy.Application.Contacts.SetPrimaryContact;
using CrmTenancy.Domain.Common;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Contacts;

public sealed class SetPrimaryContactHandlerTests
{
    [Fact]
    public async Task Makes_the_contact_primary_and_clears_the_previous_primary_of_the_same_customer()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var otherCustomer = TestData.Customer(TestData.TenantA, "Other");
        var previous = TestData.Contact(TestData.TenantA, "Ann", linkedTo: customer, primary: true);
        var next = TestData.Contact(TestData.TenantA, "Bob", linkedTo: customer);
        var primaryElsewhere = TestData.Contact(TestData.TenantA, "Cid", linkedTo: otherCustomer, primary: true);
        var contacts = InMemory.Repository(TestData.TenantA, previous, next, primaryElsewhere);
        var handler = new SetPrimaryContactHandler(contacts, NSubstitute.Substitute.For<CrmTenancy.Application.Abstractions.IRepository<CrmTenancy.Domain.Customers.Customer>>(), TestData.TenantContext(TestData.TenantA));

        await handler.Handle(new SetPrimaryContact(next.Id, ExpectedVersion: 2), CancellationToken.None);

        Assert.True(next.IsPrimary);
        Assert.False(previous.IsPrimary);
        Assert.Equal(customer.Id, previous.CustomerId);
        Assert.True(primaryElsewhere.IsPrimary);
        contacts.Received(1).ExpectVersion(next, 2);
    }

    [Fact]
    public async Task Setting_the_current_primary_again_keeps_it_primary()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var primary = TestData.Contact(TestData.TenantA, linkedTo: customer, primary: true);
        var contacts = InMemory.Repository(TestData.TenantA, primary);
        var handler = new SetPrimaryContactHandler(contacts, NSubstitute.Substitute.For<CrmTenancy.Application.Abstractions.IRepository<CrmTenancy.Domain.Customers.Customer>>(), TestData.TenantContext(TestData.TenantA));

        await handler.Handle(new SetPrimaryContact(primary.Id), CancellationToken.None);

        Assert.True(primary.IsPrimary);
    }

    [Fact]
    public async Task A_contact_without_a_customer_is_refused_and_no_other_contact_changes()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var unlinked = TestData.Contact(TestData.TenantA, "Ann");
        var primary = TestData.Contact(TestData.TenantA, "Bob", linkedTo: customer, primary: true);
        var contacts = InMemory.Repository(TestData.TenantA, unlinked, primary);
        var handler = new SetPrimaryContactHandler(contacts, NSubstitute.Substitute.For<CrmTenancy.Application.Abstractions.IRepository<CrmTenancy.Domain.Customers.Customer>>(), TestData.TenantContext(TestData.TenantA));

        var error = await Assert.ThrowsAsync<DomainRuleException>(() =>
            handler.Handle(new SetPrimaryContact(unlinked.Id), CancellationToken.None));

        Assert.Equal("primary-contact-needs-customer", error.Rule);
        Assert.True(primary.IsPrimary);
        await contacts.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }
}
