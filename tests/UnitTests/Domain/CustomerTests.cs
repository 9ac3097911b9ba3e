using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain;

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

public sealed class CustomerStatusTests
{
    [Theory]
    [InlineData(CustomerStatus.Active, CustomerStatus.Inactive)]
    [InlineData(CustomerStatus.Active, CustomerStatus.Churned)]
    [InlineData(CustomerStatus.Inactive, CustomerStatus.Active)]
    [InlineData(CustomerStatus.Inactive, CustomerStatus.Churned)]
    [InlineData(CustomerStatus.Churned, CustomerStatus.Active)]
    public void ChangeStatus_allows_the_transition_and_raises_CustomerStatusChanged(CustomerStatus from, CustomerStatus to)
    {
        var customer = TestData.CustomerIn(from);

        customer.ChangeStatus(to);

        Assert.Equal(to, customer.Status);
        Assert.Equal(new CustomerStatusChanged(customer.TenantId, customer.Id, from, to), Assert.Single(customer.DomainEvents));
    }

    [Theory]
    [InlineData(CustomerStatus.Active)]
    [InlineData(CustomerStatus.Inactive)]
    [InlineData(CustomerStatus.Churned)]
    public void ChangeStatus_to_the_same_status_is_refused(CustomerStatus status)
    {
        var customer = TestData.CustomerIn(status);

        var error = Assert.Throws<DomainRuleException>(() => customer.ChangeStatus(status));

        Assert.Equal("customer-status-unchanged", error.Rule);
        Assert.Equal(status, customer.Status);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void ChangeStatus_from_churned_to_inactive_is_refused()
    {
        var customer = TestData.CustomerIn(CustomerStatus.Churned);

        var error = Assert.Throws<DomainRuleException>(() => customer.ChangeStatus(CustomerStatus.Inactive));

        Assert.Equal("customer-status-transition", error.Rule);
        Assert.Equal(CustomerStatus.Churned, customer.Status);
        Assert.Empty(customer.DomainEvents);
    }
}

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

public sealed class CustomerTaggingTests
{
    [Fact]
    public void AddTags_normalises_each_tag()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.AddTags(["  VIP  Client ", "Key_Account"]);

        Assert.Equal(new[] { "vip-client", "key-account" }, customer.Tags);
    }

    [Fact]
    public void AddTags_ignores_duplicates_within_the_call_and_tags_already_present()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.AddTags(["vip-client"]);

        customer.AddTags(["VIP Client", "vip_client", "partner", "Partner "]);

        Assert.Equal(new[] { "vip-client", "partner" }, customer.Tags);
    }

    [Fact]
    public void AddTags_accepts_up_to_the_maximum_number_of_tags()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.AddTags(Enumerable.Range(1, CustomerTags.MaxPerCustomer).Select(i => $"tag{i}"));

        Assert.Equal(CustomerTags.MaxPerCustomer, customer.Tags.Length);
    }

    [Fact]
    public void AddTags_beyond_the_maximum_is_refused_and_changes_nothing()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.AddTags(Enumerable.Range(1, CustomerTags.MaxPerCustomer).Select(i => $"tag{i}"));

        var error = Assert.Throws<DomainRuleException>(() => customer.AddTags(["one-too-many"]));

        Assert.Equal("too-many-tags", error.Rule);
        Assert.Equal(CustomerTags.MaxPerCustomer, customer.Tags.Length);
        Assert.DoesNotContain("one-too-many", customer.Tags);
    }

    [Fact]
    public void AddTags_does_not_count_duplicates_towards_the_maximum()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.AddTags(Enumerable.Range(1, CustomerTags.MaxPerCustomer).Select(i => $"tag{i}"));

        customer.AddTags(["TAG1", " Tag2 "]);

        Assert.Equal(CustomerTags.MaxPerCustomer, customer.Tags.Length);
    }

    [Fact]
    public void AddTags_with_an_invalid_tag_is_refused_and_adds_none_of_them()
    {
        var customer = TestData.Customer(TestData.TenantA);

        var error = Assert.Throws<DomainRuleException>(() => customer.AddTags(["good", " - "]));

        Assert.Equal("tag-empty", error.Rule);
        Assert.Empty(customer.Tags);
    }

    [Fact]
    public void RemoveTag_removes_the_normalised_tag_and_keeps_the_others()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.AddTags(["vip-client", "partner"]);

        customer.RemoveTag("  VIP Client ");

        Assert.Equal(new[] { "partner" }, customer.Tags);
    }

    [Fact]
    public void RemoveTag_of_a_tag_the_customer_does_not_have_changes_nothing()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.AddTags(["vip", "partner"]);

        customer.RemoveTag("prospect");

        Assert.Equal(new[] { "vip", "partner" }, customer.Tags);
    }

    [Fact]
    public void RemoveTag_refuses_a_tag_without_letters_or_digits()
    {
        var customer = TestData.Customer(TestData.TenantA);

        var error = Assert.Throws<DomainRuleException>(() => customer.RemoveTag("   "));

        Assert.Equal("tag-empty", error.Rule);
    }
}

public sealed class CustomerPurchaseTests
{
    private static readonly DateOnly May10 = new(2024, 5, 10);

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    [InlineData("-100")]
    public void RecordPurchase_of_a_non_positive_amount_is_refused(string amount)
    {
        var customer = TestData.Customer(TestData.TenantA);

        var error = Assert.Throws<DomainRuleException>(() => customer.RecordPurchase(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), May10));

        Assert.Equal("purchase-amount-positive", error.Rule);
        Assert.Equal(0m, customer.TotalRevenue);
        Assert.Null(customer.LastPurchaseDate);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void RecordPurchase_for_a_churned_customer_is_refused()
    {
        var customer = TestData.CustomerIn(CustomerStatus.Churned);

        var error = Assert.Throws<DomainRuleException>(() => customer.RecordPurchase(10m, May10));

        Assert.Equal("purchase-churned-customer", error.Rule);
        Assert.Equal(0m, customer.TotalRevenue);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void RecordPurchase_for_an_inactive_customer_is_allowed()
    {
        var customer = TestData.CustomerIn(CustomerStatus.Inactive);

        customer.RecordPurchase(10m, May10);

        Assert.Equal(10m, customer.TotalRevenue);
    }

    [Fact]
    public void RecordPurchase_adds_up_the_total_revenue()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.RecordPurchase(100.50m, May10);
        customer.RecordPurchase(20.25m, May10);
        customer.RecordPurchase(0.01m, May10);

        Assert.Equal(120.76m, customer.TotalRevenue);
    }

    [Fact]
    public void RecordPurchase_sets_the_first_purchase_date()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.RecordPurchase(1m, May10);

        Assert.Equal(May10, customer.LastPurchaseDate);
    }

    [Fact]
    public void RecordPurchase_moves_the_last_purchase_date_forward()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.RecordPurchase(1m, May10);

        customer.RecordPurchase(1m, May10.AddDays(3));

        Assert.Equal(May10.AddDays(3), customer.LastPurchaseDate);
    }

    [Fact]
    public void RecordPurchase_dated_earlier_keeps_the_latest_purchase_date_but_adds_the_revenue()
    {
        var customer = TestData.Customer(TestData.TenantA);
        customer.RecordPurchase(5m, May10);

        customer.RecordPurchase(7m, new DateOnly(2024, 3, 1));

        Assert.Equal(May10, customer.LastPurchaseDate);
        Assert.Equal(12m, customer.TotalRevenue);
    }

    [Fact]
    public void RecordPurchase_raises_CustomerPurchaseRecorded()
    {
        var customer = TestData.Customer(TestData.TenantA);

        customer.RecordPurchase(42.5m, May10);

        Assert.Equal(new CustomerPurchaseRecorded(TestData.TenantA, customer.Id, 42.5m, May10), Assert.Single(customer.DomainEvents));
    }
}
