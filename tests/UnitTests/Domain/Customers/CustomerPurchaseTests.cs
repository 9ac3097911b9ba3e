using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Customers;

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
