using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Customers;

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
