using CrmTenancy.Application.Recommendations;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.UnitTests.Application.Recommendations;

/// <summary>Each recommendation rule on its own: when it speaks, what it says and the data behind it, and when it stays quiet.</summary>
public sealed class RecommendationRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly RecommendationSettings Settings = RecommendationSettings.Default;

    private static CustomerFacts Facts(
        CustomerStatus status = CustomerStatus.Active, Guid? assignee = null, decimal revenue = 0, DateOnly? lastPurchase = null,
        bool primary = true, DateTimeOffset? lastActivity = null, int more = 0, int count = 0, Guid? lead = null) =>
        new(Guid.NewGuid(), status, assignee, revenue, lastPurchase, primary, lastActivity ?? Now.AddDays(-1), Now.AddDays(-400), more, count, lead);

    [Fact]
    public void Follow_up_after_the_tenants_days_without_activity_and_not_for_a_churned_customer()
    {
        var rule = new FollowUpRule();
        Assert.Null(rule.Evaluate(Facts(lastActivity: Now.AddDays(-29)), Settings, Now));
        var due = rule.Evaluate(Facts(lastActivity: Now.AddDays(-45)), Settings, Now)!;
        Assert.Equal("follow-up", due.Code);
        Assert.Equal(45, due.Data["daysWithoutActivity"]);
        Assert.Contains("45 days", due.Reason);
        Assert.NotNull(rule.Evaluate(Facts(lastActivity: Now.AddDays(-8)), Settings with { FollowUpAfterDays = 7 }, Now));
        Assert.Null(rule.Evaluate(Facts(CustomerStatus.Churned, lastActivity: Now.AddDays(-90)), Settings, Now));
    }

    [Fact]
    public void Win_back_a_churned_customer_only()
    {
        Assert.Equal("win-back", new WinBackRule().Evaluate(Facts(CustomerStatus.Churned), Settings, Now)!.Code);
        Assert.Null(new WinBackRule().Evaluate(Facts(CustomerStatus.Inactive), Settings, Now));
    }

    [Theory]
    [InlineData(0, 100, true)]   // the very first of a hundred
    [InlineData(9, 100, true)]   // tenth of a hundred: in the top 10%
    [InlineData(10, 100, false)] // eleventh
    [InlineData(0, 1, true)]     // the only customer with revenue
    [InlineData(1, 11, false)]   // second of eleven: 18%, not in the top 10%
    [InlineData(1, 20, true)]    // second of twenty: exactly 10%
    public void Assign_an_owner_to_an_unassigned_customer_in_the_top_revenue_percent(int more, int count, bool expected)
    {
        var recommendation = new AssignOwnerRule().Evaluate(Facts(revenue: 5000, more: more, count: count), Settings, Now);
        Assert.Equal(expected, recommendation is not null);
        if (recommendation is not null)
            Assert.Equal(more + 1, recommendation.Data["revenueRank"]);
    }

    [Fact]
    public void No_owner_advice_for_an_assigned_customer_or_one_without_revenue()
    {
        Assert.Null(new AssignOwnerRule().Evaluate(Facts(assignee: Guid.NewGuid(), revenue: 5000, count: 10), Settings, Now));
        Assert.Null(new AssignOwnerRule().Evaluate(Facts(revenue: 0, count: 10), Settings, Now));
    }

    [Fact]
    public void Add_a_primary_contact_when_there_is_none()
    {
        Assert.Equal("add-primary-contact", new AddPrimaryContactRule().Evaluate(Facts(primary: false), Settings, Now)!.Code);
        Assert.Null(new AddPrimaryContactRule().Evaluate(Facts(primary: true), Settings, Now));
    }

    [Fact]
    public void Convert_an_open_lead_with_the_same_email_naming_it()
    {
        var lead = Guid.NewGuid();
        var recommendation = new OpenLeadRule().Evaluate(Facts(lead: lead), Settings, Now)!;
        Assert.Equal("convert-open-lead", recommendation.Code);
        Assert.Equal(lead, recommendation.Data["leadId"]);
        Assert.Null(new OpenLeadRule().Evaluate(Facts(), Settings, Now));
    }

    [Fact]
    public void Check_in_with_an_inactive_customer_who_bought_within_the_days()
    {
        var rule = new CheckInRule();
        Assert.Equal("check-in", rule.Evaluate(Facts(CustomerStatus.Inactive, lastPurchase: new DateOnly(2026, 10, 1)), Settings, Now)!.Code);
        Assert.Null(rule.Evaluate(Facts(CustomerStatus.Inactive, lastPurchase: new DateOnly(2026, 6, 1)), Settings, Now));
        Assert.Null(rule.Evaluate(Facts(CustomerStatus.Active, lastPurchase: new DateOnly(2026, 10, 1)), Settings, Now));
        Assert.Null(rule.Evaluate(Facts(CustomerStatus.Inactive), Settings, Now));
    }

    [Fact]
    public void Thresholds_out_of_range_are_refused()
    {
        Assert.Equal("recommendation-days", Assert.Throws<CrmTenancy.Domain.Common.DomainRuleException>(() => RecommendationSettings.Of(0, 10, 90)).Rule);
        Assert.Equal("recommendation-percent", Assert.Throws<CrmTenancy.Domain.Common.DomainRuleException>(() => RecommendationSettings.Of(30, 101, 90)).Rule);
    }
}
