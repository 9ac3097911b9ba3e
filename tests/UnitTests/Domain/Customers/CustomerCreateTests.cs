using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Customers;

public sealed class CustomerCreateTests
{
    [Fact]
    public void Create_without_a_tenant_is_refused()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Customer.Create(Guid.Empty, new CustomerDetails("Acme"), CustomerSource.Direct, ownerId: null));

        Assert.Equal("tenant-required", error.Rule);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Create_without_a_name_is_refused(string? name)
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Customer.Create(TestData.TenantA, new CustomerDetails(name!), CustomerSource.Direct, ownerId: null));

        Assert.Equal("name-required", error.Rule);
    }

    [Fact]
    public void Create_trims_the_name()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("  Acme Ltd \t"), CustomerSource.Direct, null);

        Assert.Equal("Acme Ltd", customer.Name);
    }

    [Fact]
    public void Create_refuses_a_name_longer_than_the_maximum()
    {
        var error = Assert.Throws<DomainRuleException>(() => Customer.Create(
            TestData.TenantA, new CustomerDetails(new string('a', Customer.NameMaxLength + 1)), CustomerSource.Direct, null));

        Assert.Equal("name-too-long", error.Rule);
    }

    [Fact]
    public void Create_accepts_a_name_of_exactly_the_maximum_length_once_trimmed()
    {
        var name = new string('a', Customer.NameMaxLength);

        var customer = Customer.Create(TestData.TenantA, new CustomerDetails($"  {name}  "), CustomerSource.Direct, null);

        Assert.Equal(name, customer.Name);
    }

    [Fact]
    public void Create_makes_the_owner_the_assignee()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("Acme"), CustomerSource.Web, TestData.UserId);

        Assert.Equal(TestData.UserId, customer.OwnerId);
        Assert.Equal(TestData.UserId, customer.AssigneeId);
    }

    [Fact]
    public void Create_without_an_owner_leaves_the_customer_unassigned()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("Acme"), CustomerSource.Web, ownerId: null);

        Assert.Null(customer.OwnerId);
        Assert.Null(customer.AssigneeId);
    }

    [Fact]
    public void Create_starts_an_active_customer_without_revenue_or_tags()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("Acme"), CustomerSource.Referral, null);

        Assert.Equal(TestData.TenantA, customer.TenantId);
        Assert.Equal(CustomerStatus.Active, customer.Status);
        Assert.Equal(CustomerSource.Referral, customer.Source);
        Assert.Equal(0m, customer.TotalRevenue);
        Assert.Null(customer.LastPurchaseDate);
        Assert.Empty(customer.Tags);
        Assert.NotEqual(Guid.Empty, customer.Id);
    }

    [Fact]
    public void Create_raises_CustomerCreated_with_the_tenant_and_id()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("Acme"), CustomerSource.Direct, null);

        var created = Assert.IsType<CustomerCreated>(Assert.Single(customer.DomainEvents));
        Assert.Equal(new CustomerCreated(TestData.TenantA, customer.Id), created);
    }

    [Fact]
    public void Create_stores_blank_optional_fields_as_null_and_trims_the_others()
    {
        var customer = Customer.Create(TestData.TenantA,
            new CustomerDetails("Acme", Email: "   ", Phone: "", CompanyName: "  Acme Group  ", Website: " https://acme.test "),
            CustomerSource.Direct, null);

        Assert.Null(customer.Email);
        Assert.Null(customer.Phone);
        Assert.Equal("Acme Group", customer.CompanyName);
        Assert.Equal("https://acme.test", customer.Website);
    }

    [Theory]
    [InlineData("email", FieldLengths.Email)]
    [InlineData("phone", FieldLengths.Phone)]
    [InlineData("companyName", Customer.CompanyNameMaxLength)]
    [InlineData("industry", Customer.IndustryMaxLength)]
    [InlineData("website", FieldLengths.Url)]
    [InlineData("notes", FieldLengths.Notes)]
    public void Create_refuses_an_optional_field_longer_than_its_maximum(string field, int maxLength)
    {
        var tooLong = new string('x', maxLength + 1);
        var details = field switch
        {
            "email" => new CustomerDetails("Acme", Email: tooLong),
            "phone" => new CustomerDetails("Acme", Phone: tooLong),
            "companyName" => new CustomerDetails("Acme", CompanyName: tooLong),
            "industry" => new CustomerDetails("Acme", Industry: tooLong),
            "website" => new CustomerDetails("Acme", Website: tooLong),
            _ => new CustomerDetails("Acme", Notes: tooLong),
        };

        var error = Assert.Throws<DomainRuleException>(() => Customer.Create(TestData.TenantA, details, CustomerSource.Direct, null));

        Assert.Equal($"{field}-too-long", error.Rule);
    }

    [Fact]
    public void Update_replaces_the_details_and_the_source()
    {
        var customer = TestData.Customer(TestData.TenantA, email: "old@acme.test");

        customer.Update(new CustomerDetails(" Acme Two ", Industry: "Retail", CompanySize: CompanySize.Large), CustomerSource.Campaign);

        Assert.Equal("Acme Two", customer.Name);
        Assert.Null(customer.Email);
        Assert.Equal("Retail", customer.Industry);
        Assert.Equal(CompanySize.Large, customer.CompanySize);
        Assert.Equal(CustomerSource.Campaign, customer.Source);
    }

    [Fact]
    public void MarkDeleted_raises_CustomerDeleted()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.MarkDeleted();

        Assert.Equal(new CustomerDeleted(TestData.TenantA, customer.Id), Assert.Single(customer.DomainEvents));
    }
}
