using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Customers.CreateCustomer;
using CrmTenancy.Application.Customers.ListCustomers;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using FluentValidation.Results;

namespace CrmTenancy.UnitTests.Application.Customers;

public sealed class CreateCustomerValidatorTests
{
    private static readonly CreateCustomerValidator Validator = new();

    private static readonly CreateCustomer Valid = new() { Name = "Acme Ltd", Email = "buyer@acme.test", Phone = "+44 20 7946 0000", CompanyName = "Acme Group", Industry = "Retail", CompanySize = CompanySize.Medium, Website = "https://acme.test", Notes = "Met at the fair", Source = CustomerSource.Web, Tags = ["vip", "Key Account"] };

    private static string[] FailingProperties(ValidationResult result) => result.Errors.Select(e => e.PropertyName).Distinct().ToArray();

    [Fact]
    public void A_complete_valid_customer_passes()
    {
        var result = Validator.Validate(Valid);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void A_customer_with_only_a_name_passes()
    {
        Assert.True(Validator.Validate(new CreateCustomer { Name = "Acme" }).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_name_is_refused(string name)
    {
        var result = Validator.Validate(Valid with { Name = name });

        Assert.Equal(new[] { nameof(CreateCustomer.Name) }, FailingProperties(result));
    }

    [Fact]
    public void A_name_longer_than_the_maximum_is_refused()
    {
        Assert.True(Validator.Validate(Valid with { Name = new string('n', Customer.NameMaxLength) }).IsValid);

        var result = Validator.Validate(Valid with { Name = new string('n', Customer.NameMaxLength + 1) });

        Assert.Equal(new[] { nameof(CreateCustomer.Name) }, FailingProperties(result));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("@acme.test")]
    [InlineData("buyer@")]
    public void A_malformed_email_is_refused(string email)
    {
        var result = Validator.Validate(Valid with { Email = email });

        Assert.Equal(new[] { nameof(CreateCustomer.Email) }, FailingProperties(result));
    }

    [Fact]
    public void An_email_longer_than_the_maximum_is_refused()
    {
        var result = Validator.Validate(Valid with { Email = new string('a', FieldLengths.Email) + "@acme.test" });

        Assert.Equal(new[] { nameof(CreateCustomer.Email) }, FailingProperties(result));
    }

    [Theory]
    [InlineData("ftp://acme.test")]
    [InlineData("acme.test")]
    [InlineData("www.acme.test")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    public void A_website_that_is_not_an_absolute_http_url_is_refused(string website)
    {
        var result = Validator.Validate(Valid with { Website = website });

        Assert.Equal(new[] { nameof(CreateCustomer.Website) }, FailingProperties(result));
    }

    [Theory]
    [InlineData("http://acme.test")]
    [InlineData("https://acme.test/about?x=1")]
    public void An_http_or_https_website_passes(string website)
    {
        Assert.True(Validator.Validate(Valid with { Website = website }).IsValid);
    }

    [Fact]
    public void More_than_the_maximum_number_of_tags_is_refused()
    {
        var tooMany = Enumerable.Range(1, CustomerTags.MaxPerCustomer + 1).Select(i => $"tag{i}").ToArray();

        var result = Validator.Validate(Valid with { Tags = tooMany });

        Assert.Equal(new[] { nameof(CreateCustomer.Tags) }, FailingProperties(result));
    }

    [Fact]
    public void Exactly_the_maximum_number_of_tags_passes()
    {
        var tags = Enumerable.Range(1, CustomerTags.MaxPerCustomer).Select(i => $"tag{i}").ToArray();

        Assert.True(Validator.Validate(Valid with { Tags = tags }).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("---")]
    [InlineData("  _ ")]
    public void A_tag_without_letters_or_digits_is_refused(string tag)
    {
        var result = Validator.Validate(Valid with { Tags = ["vip", tag] });

        Assert.Equal(new[] { "Tags[1]" }, FailingProperties(result));
    }

    [Fact]
    public void A_tag_longer_than_the_maximum_is_refused()
    {
        var result = Validator.Validate(Valid with { Tags = [new string('t', CustomerTags.MaxLength + 1)] });

        Assert.Equal(new[] { "Tags[0]" }, FailingProperties(result));
    }

    [Fact]
    public void An_undefined_source_or_company_size_is_refused()
    {
        var result = Validator.Validate(Valid with { Source = (CustomerSource)99, CompanySize = (CompanySize)99 });

        Assert.Equal(new[] { nameof(CreateCustomer.CompanySize), nameof(CreateCustomer.Source) }, FailingProperties(result).Order().ToArray());
    }

    [Fact]
    public void A_phone_longer_than_the_maximum_is_refused()
    {
        var result = Validator.Validate(Valid with { Phone = new string('1', FieldLengths.Phone + 1) });

        Assert.Equal(new[] { nameof(CreateCustomer.Phone) }, FailingProperties(result));
    }
}
