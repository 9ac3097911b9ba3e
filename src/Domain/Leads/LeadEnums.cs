namespace CrmTenancy.Domain.Leads;

/// <summary>Where a lead is in the pipeline: four open stages, then Converted or Lost. The order is the pipeline's (a lead's furthest stage and the funnel compare by it): do not reorder.</summary>
public enum LeadStatus
{
    New,
    Nurturing,
    Engaged,
    Qualified,
    Converted,
    Lost,
}

public enum LeadSource
{
    WebForm,
    Referral,
    Campaign,
    Import,
    Manual,
    Other,
}

/// <summary>How much business the lead may bring.</summary>
public enum VolumeTier
{
    Low,
    Medium,
    High,
}
