using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Campaigns;

public sealed record CampaignCreated(Guid TenantId, Guid CampaignId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"Campaign {title} created");
}

/// <summary>The campaign's fields changed (their names in <paramref name="Fields"/>; <c>audience</c> for the audience).</summary>
public sealed record CampaignUpdated(Guid TenantId, Guid CampaignId, IReadOnlyList<string> Fields) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, $"Campaign {title} updated: {string.Join(", ", Fields)}", Fields);
}

/// <summary>The campaign moved from <paramref name="From"/> to <paramref name="To"/>; a launch says how many targets it made.</summary>
public sealed record CampaignStatusChanged(Guid TenantId, Guid CampaignId, CampaignStatus From, CampaignStatus To, int? Targets = null)
    : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.StatusChanged,
            Targets is { } count ? $"Campaign {title} launched with {count} targets" : $"Campaign {title} moved from {From} to {To}",
            From: From.ToString(), To: To.ToString());
}

/// <summary>Targets were added to or removed from the campaign by id (not by its launch).</summary>
public sealed record CampaignTargetsChanged(Guid TenantId, Guid CampaignId, int Added, int Removed) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, Removed == 0 ? $"Campaign {title}: {Added} targets added" : $"Campaign {title}: {Removed} targets removed",
            ["targets"]);
}

public sealed record CampaignDeleted(Guid TenantId, Guid CampaignId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Deleted, $"Campaign {title} deleted");
}
