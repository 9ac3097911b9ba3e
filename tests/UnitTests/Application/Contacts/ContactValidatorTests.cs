using CrmTenancy.Application.Contacts.CreateContact;
using CrmTenancy.Domain.Contacts;

namespace CrmTenancy.UnitTests.Application.Contacts;

public sealed class CreateContactValidatorTests
{
    private static readonly CreateContactValidator Validator = new();

    private static readonly CreateContact Valid = new() { FirstName = "Ann", LastName = "Smith", Email = "ann@acme.test", Phone = "+1 555 0100", Title = "CTO", Company = "Acme", Type = ContactType.Client, CustomerId = Guid.CreateVersion7() };

    private static string[] FailingProperties(CreateContact contact) =>
        Validator.Validate(contact).Errors.Select(e => e.PropertyName).Distinct().Order().ToArray();

    [Fact]
    public void A_complete_valid_contact_passes()
    {
        Assert.Empty(FailingProperties(Valid));
    }

    [Fact]
    public void A_contact_with_only_names_passes()
    {
        Assert.Empty(FailingProperties(new CreateContact { FirstName = "Ann", LastName = "Smith" }));
    }

    [Fact]
    public void Empty_names_are_refused()
    {
        Assert.Equal(new[] { nameof(CreateContact.FirstName), nameof(CreateContact.LastName) }, FailingProperties(Valid with { FirstName = "", LastName = " " }));
    }

    [Fact]
    public void Names_longer_than_the_maximum_are_refused()
    {
        var tooLong = new string('n', Contact.NameMaxLength + 1);

        Assert.Equal(new[] { nameof(CreateContact.FirstName), nameof(CreateContact.LastName) },
            FailingProperties(Valid with { FirstName = tooLong, LastName = tooLong }));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ann@")]
    public void A_malformed_email_is_refused(string email)
    {
        Assert.Equal(new[] { nameof(CreateContact.Email) }, FailingProperties(Valid with { Email = email }));
    }

    [Fact]
    public void An_empty_customer_id_is_refused()
    {
        Assert.Equal(new[] { nameof(CreateContact.CustomerId) }, FailingProperties(Valid with { CustomerId = Guid.Empty }));
    }

    [Fact]
    public void An_undefined_contact_type_is_refused()
    {
        Assert.Equal(new[] { nameof(CreateContact.Type) }, FailingProperties(Valid with { Type = (ContactType)42 }));
    }

    [Fact]
    public void A_title_longer_than_the_maximum_is_refused()
    {
        Assert.Equal(new[] { nameof(CreateContact.Title) }, FailingProperties(Valid with { Title = new string('t', Contact.TitleMaxLength + 1) }));
    }
}
