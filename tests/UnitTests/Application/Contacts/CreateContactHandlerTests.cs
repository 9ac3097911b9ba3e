using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Contacts.CreateContact;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Contacts;

public sealed class CreateContactHandlerTests
{
    private readonly ITenantContext _tenant = TestData.TenantContext(TestData.TenantA);
    private readonly Customer _customer = TestData.Customer(TestData.TenantA);
    private readonly Customer _foreignCustomer = TestData.Customer(TestData.TenantB, "Foreign");
    private readonly IRepository<Customer> _customers;

    public CreateContactHandlerTests() =>
        _customers = InMemory.Repository(TestData.TenantA, _customer, _foreignCustomer);

    private CreateContactHandler Handler(IRepository<Contact> contacts) =>
        new(contacts, _customers, _tenant, TestData.User(TestData.UserId));

    [Fact]
    public async Task Creates_a_contact_of_the_tenant_owned_and_assigned_to_the_caller()
    {
        var contacts = InMemory.Repository<Contact>(TestData.TenantA);

        var id = await Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", Email = "ann@example.com" }, CancellationToken.None);

        contacts.Received(1).Add(Arg.Is<Contact>(c => c.Id == id && c.TenantId == TestData.TenantA
                                                      && c.OwnerId == TestData.UserId && c.AssigneeId == TestData.UserId
                                                      && c.NormalizedEmail == "ANN@EXAMPLE.COM" && c.CustomerId == null));
    }

    [Fact]
    public async Task Links_the_new_contact_to_a_customer_of_the_tenant()
    {
        var contacts = InMemory.Repository<Contact>(TestData.TenantA);

        await Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", CustomerId = _customer.Id }, CancellationToken.None);

        contacts.Received(1).Add(Arg.Is<Contact>(c => c.CustomerId == _customer.Id && !c.IsPrimary));
    }

    [Fact]
    public async Task An_email_another_contact_of_the_tenant_has_is_a_conflict_and_nothing_is_added()
    {
        var contacts = InMemory.Repository(TestData.TenantA, TestData.Contact(TestData.TenantA, email: "ann@example.com"));

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Other", Email = "  ANN@Example.com " }, CancellationToken.None));

        Assert.Equal("contact-email-taken", error.Code);
        contacts.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task An_email_used_only_in_another_tenant_is_free()
    {
        var contacts = InMemory.Repository(TestData.TenantA, TestData.Contact(TestData.TenantB, email: "ann@example.com"));

        await Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", Email = "ann@example.com" }, CancellationToken.None);

        contacts.Received(1).Add(Arg.Any<Contact>());
    }

    [Fact]
    public async Task Without_an_email_no_uniqueness_check_is_made()
    {
        var contacts = InMemory.Repository(TestData.TenantA, TestData.Contact(TestData.TenantA));

        await Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", Email = "  " }, CancellationToken.None);

        await contacts.DidNotReceiveWithAnyArgs().AnyAsync(default!, default);
        contacts.Received(1).Add(Arg.Any<Contact>());
    }

    [Fact]
    public async Task A_customer_of_another_tenant_is_not_found_and_nothing_is_added()
    {
        var contacts = InMemory.Repository<Contact>(TestData.TenantA);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", CustomerId = _foreignCustomer.Id }, CancellationToken.None));

        Assert.Equal(nameof(Customer), error.Resource);
        contacts.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task A_missing_customer_is_not_found_and_nothing_is_added()
    {
        var contacts = InMemory.Repository<Contact>(TestData.TenantA);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            Handler(contacts).Handle(new CreateContact { FirstName = "Ann", LastName = "Smith", CustomerId = Guid.CreateVersion7() }, CancellationToken.None));

        Assert.Equal(nameof(Customer), error.Resource);
        contacts.DidNotReceiveWithAnyArgs().Add(default!);
    }
}
