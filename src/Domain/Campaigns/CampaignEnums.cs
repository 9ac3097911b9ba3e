namespace CrmTenancy.Domain.Campaigns;

/// <summary>How a campaign reaches its targets: a voice campaign needs a phone number, an email campaign an address.</summary>
public enum CampaignChannel
{
    Voice,
    Email,
}

/// <summary>
/// Draft, then Scheduled, then Active (launched) and Paused as often as needed, then Completed; Cancelled from any
/// state before Completed.
/// </summary>
public enum CampaignStatus
{
    Draft,
    Scheduled,
    Active,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>
/// Where a campaign stands with one person: not yet tried, tried without reaching them (no answer, busy, failed),
/// reached (the call went through), completed (the call ended with an outcome).
/// </summary>
public enum CampaignTargetState
{
    Pending,
    Attempted,
    Reached,
    Completed,
}
