using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Tenants;

/// <summary>
/// The thresholds of a tenant's customer recommendations: follow up a customer with no activity for
/// <see cref="FollowUpAfterDays"/>; assign an owner to a customer whose revenue is in the top
/// <see cref="TopRevenuePercent"/> percent; check in with an inactive customer who bought in the last
/// <see cref="CheckInWithinDays"/>.
/// </summary>
public sealed record RecommendationSettings(int FollowUpAfterDays, int TopRevenuePercent, int CheckInWithinDays)
{
    public const int MaxDays = 3650;
    public const int MaxPercent = 100;

    public static readonly RecommendationSettings Default = new(30, 10, 90);

    /// <summary>The settings, or a 409 rule naming the value out of range (the API validates before, with a 400).</summary>
    public static RecommendationSettings Of(int followUpAfterDays, int topRevenuePercent, int checkInWithinDays)
    {
        if (followUpAfterDays is < 1 or > MaxDays || checkInWithinDays is < 1 or > MaxDays)
            throw new DomainRuleException("recommendation-days", $"Day thresholds are 1 to {MaxDays}.");
        if (topRevenuePercent is < 1 or > MaxPercent)
            throw new DomainRuleException("recommendation-percent", $"The top revenue share is 1 to {MaxPercent} percent.");
        return new RecommendationSettings(followUpAfterDays, topRevenuePercent, checkInWithinDays);
    }
}
