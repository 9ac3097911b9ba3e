using CrmTenancy.Application.Customers.GetCustomerStats;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Application.Analytics;

/// <summary>The tenant dashboard: the state of its customers and leads now, and what happened between from and to.</summary>
public sealed record DashboardDto(
    DateTimeOffset From,
    DateTimeOffset To,
    CustomerStats Customers,
    RevenueSummary Revenue,
    LeadSummary Leads,
    LeadFunnel Funnel,
    IReadOnlyList<WeekCount> LeadsCapturedPerWeek,
    IReadOnlyList<DayCount> ActivitiesPerDay,
    CallSummary Calls,
    int ActiveCampaigns);

/// <summary>The calls of the range's whole UTC days (by the day they started, or were scheduled if never answered), and how many were completed.</summary>
public sealed record CallSummary(int Total, int Completed);

/// <summary>The customers' total revenue and the ten with the most (ties by id).</summary>
public sealed record RevenueSummary(decimal Total, IReadOnlyList<CustomerRevenue> TopCustomers);

public sealed record CustomerRevenue(Guid Id, string Name, decimal TotalRevenue);

/// <summary>Every lead status, in pipeline order, with zero where no lead has it.</summary>
public sealed record LeadSummary(int Total, IReadOnlyList<LeadStatusCount> ByStatus);

public sealed record LeadStatusCount(LeadStatus Status, int Count);

/// <summary>
/// The leads captured in the range and how far they have got: each stage counts the leads that reached it or a later
/// one (a lead lost after it was engaged counts as engaged). Rates are of the stage before, and overall of captured.
/// </summary>
public sealed record LeadFunnel(IReadOnlyList<FunnelStage> Stages);

public sealed record FunnelStage(string Stage, int Count, double? RateFromPrevious, double? RateFromCaptured);

/// <summary>A week (starting Monday, UTC) and how many leads were captured in it; weeks with none are listed with 0.</summary>
public sealed record WeekCount(DateOnly WeekStart, int Count);

/// <summary>A day (UTC) and how many activities (or calls) it had; days with none are listed with 0.</summary>
public sealed record DayCount(DateOnly Day, int Count);

/// <summary>
/// A campaign's statistics: its targets and how far the calls got with them (attempted: tried at least once; reached:
/// answered; completed: a call ended with an outcome), its calls' outcomes, conversions (completed calls with the
/// outcome converted) and their rate of the targets, the average duration of its answered calls, and calls per day.
/// </summary>
public sealed record CampaignStatsDto(
    Guid CampaignId,
    int Targets,
    int Attempted,
    int Reached,
    int Completed,
    long Attempts,
    int Calls,
    IReadOnlyList<OutcomeCount> Outcomes,
    int Conversions,
    double? ConversionRate,
    double? AverageCallSeconds,
    IReadOnlyList<DayCount> CallsPerDay);

/// <summary>An outcome and how many completed calls ended with it; every outcome is listed.</summary>
public sealed record OutcomeCount(Domain.Calls.CallOutcome Outcome, int Count);
