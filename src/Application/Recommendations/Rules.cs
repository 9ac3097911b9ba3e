using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.Application.Recommendations;

/// <summary>What the rules know of one customer, read once for all of them (only what the caller may see).</summary>
public sealed record CustomerFacts(
    Guid CustomerId,
    CustomerStatus Status,
    Guid? AssigneeId,
    decimal TotalRevenue,
    DateOnly? LastPurchaseDate,
    bool HasPrimaryContact,
    DateTimeOffset? LastActivityAt,
    DateTimeOffset CreatedAt,
    int CustomersWithMoreRevenue,
    int CustomerCount,
    Guid? OpenLeadWithSameEmail);

/// <summary>A next best action: a stable code, a reason a person can read, and the data behind it.</summary>
public sealed record Recommendation(string Code, string Reason, IReadOnlyDictionary<string, object?> Data);

/// <summary>One explicit rule: a recommendation when its condition holds of the customer, none otherwise.</summary>
public interface IRecommendationRule
{
    Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now);
}

/// <summary>No activity (or, for a customer without any, no creation) for the tenant's follow-up days: follow up.</summary>
public sealed class FollowUpRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now)
    {
        if (facts.Status == CustomerStatus.Churned)
            return null;
        var last = facts.LastActivityAt ?? facts.CreatedAt;
        var quietDays = (int)(now - last).TotalDays;
        return quietDays < settings.FollowUpAfterDays ? null : new Recommendation("follow-up",
            $"Nothing has happened with this customer for {quietDays} days; get in touch.",
            new Dictionary<string, object?> { ["lastActivityAt"] = last, ["daysWithoutActivity"] = quietDays, ["thresholdDays"] = settings.FollowUpAfterDays });
    }
}

/// <summary>A churned customer: try to win them back.</summary>
public sealed class WinBackRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now) =>
        facts.Status != CustomerStatus.Churned ? null : new Recommendation("win-back",
            "The customer has churned; a win-back offer may bring them back.",
            new Dictionary<string, object?> { ["status"] = facts.Status, ["totalRevenue"] = facts.TotalRevenue, ["lastPurchaseDate"] = facts.LastPurchaseDate });
}

/// <summary>Revenue in the tenant's top percent and nobody assigned: give the customer an owner.</summary>
public sealed class AssignOwnerRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now)
    {
        if (facts.AssigneeId is not null || facts.TotalRevenue <= 0 || facts.CustomerCount == 0)
            return null;
        // In the top N percent: its rank (1 + the customers with more revenue) is within N percent of the customers,
        // and the very first always is (of 11 customers, the top 10% is the first alone).
        var rank = facts.CustomersWithMoreRevenue + 1;
        var inTop = rank == 1 || (long)rank * 100 <= (long)facts.CustomerCount * settings.TopRevenuePercent;
        return !inTop ? null : new Recommendation("assign-owner",
            $"This customer's revenue ranks {rank} of {facts.CustomerCount}, in the top {settings.TopRevenuePercent}%, and nobody is assigned.",
            new Dictionary<string, object?> { ["totalRevenue"] = facts.TotalRevenue, ["revenueRank"] = rank, ["customerCount"] = facts.CustomerCount, ["topPercent"] = settings.TopRevenuePercent });
    }
}

/// <summary>
/// No primary contact the caller may see: add one (or make one of the contacts primary); not for a churned customer.
/// Under owner-only visibility a primary contact of someone else's is not seen; making another primary then answers 409
/// (one primary per customer), never a second one.
/// </summary>
public sealed class AddPrimaryContactRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now) =>
        facts.HasPrimaryContact || facts.Status == CustomerStatus.Churned ? null : new Recommendation("add-primary-contact",
            "The customer has no primary contact; add one, or make one of its contacts primary.",
            new Dictionary<string, object?> { ["hasPrimaryContact"] = false });
}

/// <summary>An open lead with the customer's email: link it or convert it into this customer.</summary>
public sealed class OpenLeadRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now) =>
        facts.OpenLeadWithSameEmail is not { } lead ? null : new Recommendation("convert-open-lead",
            "An open lead has this customer's email; convert it into this customer so its history is in one place.",
            new Dictionary<string, object?> { ["leadId"] = lead, ["customerId"] = facts.CustomerId });
}

/// <summary>An inactive customer who bought recently: check in before they churn.</summary>
public sealed class CheckInRule : IRecommendationRule
{
    public Recommendation? Evaluate(CustomerFacts facts, RecommendationSettings settings, DateTimeOffset now)
    {
        if (facts.Status != CustomerStatus.Inactive || facts.LastPurchaseDate is not { } purchased)
            return null;
        // A purchase may be recorded for tomorrow (a time zone ahead): that is zero days ago, not minus one.
        var days = Math.Max(0, DateOnly.FromDateTime(now.UtcDateTime).DayNumber - purchased.DayNumber);
        return days > settings.CheckInWithinDays ? null : new Recommendation("check-in",
            $"The customer is inactive but bought {days} days ago; check in while the relationship is warm.",
            new Dictionary<string, object?> { ["lastPurchaseDate"] = purchased, ["daysSincePurchase"] = days, ["thresholdDays"] = settings.CheckInWithinDays });
    }
}
