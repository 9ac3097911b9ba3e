using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using NSubstitute;

namespace CrmTenancy.UnitTests.Support;

/// <summary>Fixed ids and small factories shared by the tests.</summary>
public static class TestData
{
    public static readonly Guid TenantA = Guid.Parse("0198a000-0000-7000-8000-00000000000a");
    public static readonly Guid TenantB = Guid.Parse("0198a000-0000-7000-8000-00000000000b");
    public static readonly Guid UserId = Guid.Parse("0198a000-0000-7000-8000-0000000000aa");

    /// <summary>A resolved tenant context returning <paramref name="tenantId"/>.</summary>
    public static ITenantContext TenantContext(Guid tenantId)
    {
        var tenant = Substitute.For<ITenantContext>();
        tenant.IsResolved.Returns(true);
        tenant.TenantId.Returns(tenantId);
        return tenant;
    }

    public static ICurrentUser User(Guid? userId)
    {
        var user = Substitute.For<ICurrentUser>();
        user.UserId.Returns(userId);
        return user;
    }

    public static Customer Customer(Guid tenantId, string name = "Acme Ltd", Guid? ownerId = null, string? email = null,
        string? companyName = null, CustomerSource source = CustomerSource.Direct)
    {
        var customer = global::CrmTenancy.Domain.Customers.Customer.Create(
            tenantId, new CustomerDetails(name, Email: email, CompanyName: companyName), source, ownerId);
        customer.ClearDomainEvents();
        return customer;
    }

    public static Customer CustomerIn(CustomerStatus status)
    {
        var customer = Customer(TenantA);
        if (status == CustomerStatus.Churned)
            customer.ChangeStatus(CustomerStatus.Churned);
        else if (status == CustomerStatus.Inactive)
            customer.ChangeStatus(CustomerStatus.Inactive);
        customer.ClearDomainEvents();
        return customer;
    }

    public static Contact Contact(Guid tenantId, string firstName = "Ann", string lastName = "Smith", string? email = null,
        Customer? linkedTo = null, bool primary = false)
    {
        var contact = global::CrmTenancy.Domain.Contacts.Contact.Create(tenantId, new ContactDetails(firstName, lastName, email), ownerId: null);
        if (linkedTo is not null)
            contact.LinkTo(linkedTo);
        if (primary)
            contact.MakePrimary();
        contact.ClearDomainEvents();
        return contact;
    }
}
