using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Contacts;

public sealed class ContactTests
{
    [Fact]
    public void Create_without_a_tenant_is_refused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Contact.Create(Guid.Empty, new ContactDetails("Ann", "Smith"), null));

        Assert.Equal("tenant-required", error.Rule);
    }

    [Theory]
    [InlineData("", "Smith", "firstName-required")]
    [InlineData("  ", "Smith", "firstName-required")]
    [InlineData("Ann", "", "lastName-required")]
    [InlineData("Ann", " \t ", "lastName-required")]
    public void Create_requires_a_first_and_a_last_name(string firstName, string lastName, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Contact.Create(TestData.TenantA, new ContactDetails(firstName, lastName), null));

        Assert.Equal(rule, error.Rule);
    }

    [Fact]
    public void Create_refuses_a_first_name_longer_than_the_maximum()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Contact.Create(TestData.TenantA, new ContactDetails(new string('a', Contact.NameMaxLength + 1), "Smith"), null));

        Assert.Equal("firstName-too-long", error.Rule);
    }

    [Fact]
    public void Create_trims_the_fields_normalises_the_email_and_makes_the_owner_the_assignee()
    {
        var contact = Contact.Create(TestData.TenantA,
            new ContactDetails(" Ann ", " Smith ", Email: "  Ann.Smith@Example.COM ", Title: " CTO ", Type: ContactType.Partner),
            TestData.UserId);

        Assert.Equal(TestData.TenantA, contact.TenantId);
        Assert.Equal("Ann", contact.FirstName);
        Assert.Equal("Smith", contact.LastName);
        Assert.Equal("Ann.Smith@Example.COM", contact.Email);
        Assert.Equal("ANN.SMITH@EXAMPLE.COM", contact.NormalizedEmail);
        Assert.Equal("CTO", contact.Title);
        Assert.Equal(ContactType.Partner, contact.Type);
        Assert.Equal(TestData.UserId, contact.OwnerId);
        Assert.Equal(TestData.UserId, contact.AssigneeId);
        Assert.Null(contact.CustomerId);
        Assert.False(contact.IsPrimary);
    }

    [Fact]
    public void Create_without_an_email_has_no_normalised_email()
    {
        var contact = Contact.Create(TestData.TenantA, new ContactDetails("Ann", "Smith", Email: "   "), null);

        Assert.Null(contact.Email);
        Assert.Null(contact.NormalizedEmail);
        Assert.Equal(ContactType.Prospect, contact.Type);
    }

    [Fact]
    public void Create_raises_ContactCreated()
    {
        var contact = Contact.Create(TestData.TenantA, new ContactDetails("Ann", "Smith"), null);

        Assert.Equal(new ContactCreated(TestData.TenantA, contact.Id), Assert.Single(contact.DomainEvents));
    }

    [Theory]
    [InlineData("ann@example.com", "ANN@EXAMPLE.COM")]
    [InlineData("Ann@Example.Com", "ANN@EXAMPLE.COM")]
    [InlineData("  ann@example.com\t", "ANN@EXAMPLE.COM")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    public void NormaliseEmail_trims_and_upper_cases(string? email, string? expected)
    {
        Assert.Equal(expected, Contact.NormaliseEmail(email));
    }

    [Fact]
    public void NormaliseEmail_makes_differently_cased_emails_equal()
    {
        Assert.Equal(Contact.NormaliseEmail("ANN@example.com"), Contact.NormaliseEmail("ann@EXAMPLE.com"));
    }

    [Fact]
    public void Update_changes_the_normalised_email()
    {
        var contact = TestData.Contact(TestData.TenantA, email: "ann@example.com");

        contact.Update(new ContactDetails("Ann", "Smith", Email: "ann@other.test"));

        Assert.Equal("ANN@OTHER.TEST", contact.NormalizedEmail);
    }

    [Fact]
    public void LinkTo_a_customer_of_another_tenant_is_refused()
    {
        var contact = TestData.Contact(TestData.TenantA);
        var foreign = TestData.Customer(TestData.TenantB);

        var error = Assert.Throws<DomainRuleException>(() => contact.LinkTo(foreign));

        Assert.Equal("contact-customer-tenant", error.Rule);
        Assert.Null(contact.CustomerId);
    }

    [Fact]
    public void LinkTo_a_customer_of_another_tenant_keeps_the_existing_link()
    {
        var own = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA, linkedTo: own, primary: true);

        Assert.Throws<DomainRuleException>(() => contact.LinkTo(TestData.Customer(TestData.TenantB)));

        Assert.Equal(own.Id, contact.CustomerId);
        Assert.True(contact.IsPrimary);
    }

    [Fact]
    public void LinkTo_a_customer_of_the_same_tenant_links_it()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA);

        contact.LinkTo(customer);

        Assert.Equal(customer.Id, contact.CustomerId);
        Assert.False(contact.IsPrimary);
    }

    [Fact]
    public void LinkTo_another_customer_resets_IsPrimary()
    {
        var first = TestData.Customer(TestData.TenantA);
        var second = TestData.Customer(TestData.TenantA, "Globex");
        var contact = TestData.Contact(TestData.TenantA, linkedTo: first, primary: true);

        contact.LinkTo(second);

        Assert.Equal(second.Id, contact.CustomerId);
        Assert.False(contact.IsPrimary);
    }

    [Fact]
    public void LinkTo_the_same_customer_keeps_IsPrimary()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA, linkedTo: customer, primary: true);

        contact.LinkTo(customer);

        Assert.Equal(customer.Id, contact.CustomerId);
        Assert.True(contact.IsPrimary);
    }

    [Fact]
    public void MakePrimary_without_a_linked_customer_is_refused()
    {
        var contact = TestData.Contact(TestData.TenantA);

        var error = Assert.Throws<DomainRuleException>(contact.MakePrimary);

        Assert.Equal("primary-contact-needs-customer", error.Rule);
        Assert.False(contact.IsPrimary);
    }

    [Fact]
    public void MakePrimary_of_a_linked_contact_sets_IsPrimary()
    {
        var contact = TestData.Contact(TestData.TenantA, linkedTo: TestData.Customer(TestData.TenantA));

        contact.MakePrimary();

        Assert.True(contact.IsPrimary);
    }

    [Fact]
    public void Unlink_clears_the_customer_and_the_primary_flag()
    {
        var contact = TestData.Contact(TestData.TenantA, linkedTo: TestData.Customer(TestData.TenantA), primary: true);

        contact.Unlink();

        Assert.Null(contact.CustomerId);
        Assert.False(contact.IsPrimary);
    }

    [Fact]
    public void ClearPrimary_keeps_the_link()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA, linkedTo: customer, primary: true);

        contact.ClearPrimary();

        Assert.False(contact.IsPrimary);
        Assert.Equal(customer.Id, contact.CustomerId);
    }

    [Fact]
    public void MarkDeleted_raises_ContactDeleted()
    {
        var contact = TestData.Contact(TestData.TenantA);

        contact.MarkDeleted();

        Assert.Equal(new ContactDeleted(TestData.TenantA, contact.Id), Assert.Single(contact.DomainEvents));
    }

    [Fact]
    public void AssignTo_hands_the_contact_to_another_user_or_none_and_refuses_an_empty_id()
    {
        var contact = Contact.Create(TestData.TenantA, new ContactDetails("Ann", "Smith"), TestData.UserId);
        var other = Guid.CreateVersion7();

        contact.AssignTo(other);
        Assert.Equal(other, contact.AssigneeId);
        Assert.Equal(TestData.UserId, contact.OwnerId);
        contact.AssignTo(null);
        Assert.Null(contact.AssigneeId);
        Assert.Equal("assignee-invalid", Assert.Throws<DomainRuleException>(() => contact.AssignTo(Guid.Empty)).Rule);
    }
}
