using Ardalis.Specification;
using System.Linq.Expressions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Application.Contacts;

public sealed class ContactSpecificationsTests
{
    private readonly Customer _customer = TestData.Customer(TestData.TenantA);

    [Fact]
    public void EmailTaken_matches_the_email_case_insensitively_within_the_tenant()
    {
        var ann = TestData.Contact(TestData.TenantA, email: "ann@example.com");
        var foreignAnn = TestData.Contact(TestData.TenantB, email: "ann@example.com");
        var bob = TestData.Contact(TestData.TenantA, "Bob", email: "bob@example.com");

        var spec = new ContactEmailTakenSpecification(TestData.TenantContext(TestData.TenantA), " ANN@Example.COM ");

        Assert.Equal(new[] { ann }, InMemory.Evaluate(spec, [foreignAnn, bob, ann]));
        Assert.True(spec.AsNoTracking);
    }

    [Fact]
    public void EmailTaken_ignores_the_contact_being_updated()
    {
        var ann = TestData.Contact(TestData.TenantA, email: "ann@example.com");

        var spec = new ContactEmailTakenSpecification(TestData.TenantContext(TestData.TenantA), "ann@example.com", ann.Id);

        Assert.Empty(InMemory.Evaluate(spec, [ann]));
    }

    [Fact]
    public void ContactsOfCustomer_keeps_the_linked_contacts_and_optionally_only_the_primary()
    {
        var primary = TestData.Contact(TestData.TenantA, "Ann", linkedTo: _customer, primary: true);
        var secondary = TestData.Contact(TestData.TenantA, "Bob", linkedTo: _customer);
        var unlinked = TestData.Contact(TestData.TenantA, "Cid");
        List<Contact> all = [primary, secondary, unlinked];
        var tenant = TestData.TenantContext(TestData.TenantA);

        Assert.Equal(new[] { primary, secondary }, InMemory.Evaluate(new ContactsOfCustomerSpecification(tenant, _customer.Id), all));
        Assert.Equal(new[] { primary }, InMemory.Evaluate(new ContactsOfCustomerSpecification(tenant, _customer.Id, primaryOnly: true), all));
    }

    [Fact]
    public void ContactList_searches_names_email_and_company_and_orders_by_last_then_first_name()
    {
        var zed = TestData.Contact(TestData.TenantA, "Ann", "Zed", email: "ann@acme.test");
        var adams = TestData.Contact(TestData.TenantA, "Bob", "Adams", email: "bob@acme.test");
        var other = TestData.Contact(TestData.TenantA, "Cid", "Brown", email: "cid@globex.test");
        var foreign = TestData.Contact(TestData.TenantB, "Dan", "Acme", email: "dan@acme.test");

        var spec = new ContactListSpecification(TestData.TenantContext(TestData.TenantA), new ContactFilter(Search: "ACME"), 1, 25);

        Assert.Equal(new[] { adams, zed }, InMemory.Evaluate(spec, [zed, other, foreign, adams]));
    }
}
