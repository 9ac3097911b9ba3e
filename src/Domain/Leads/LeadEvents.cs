using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Leads;

public sealed record LeadCreated(Guid TenantId, Guid LeadId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"Lead {title} created");
}

/// <summary>An open lead's person was sent in again by a capture (from <paramref name="Source"/>).</summary>
public sealed record LeadRecaptured(Guid TenantId, Guid LeadId, LeadSource Source) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Captured, $"Lead {title} captured again ({Source})", To: Source.ToString());
}

/// <summary>The lead's descriptive fields changed (their names in <paramref name="Fields"/>).</summary>
public sealed record LeadUpdated(Guid TenantId, Guid LeadId, IReadOnlyList<string> Fields) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, $"Lead {title} updated: {string.Join(", ", Fields)}", Fields);
}

public sealed record LeadStatusChanged(Guid TenantId, Guid LeadId, LeadStatus From, LeadStatus To, string? LostReason) : IIntegrationEvent, IActivityEvent
{
    /// <summary>No entry for the move to Converted: <see cref="LeadConverted"/> is the conversion's entry.</summary>
    public ActivityDescription? Describe(string title) => To == LeadStatus.Converted ? null :
        new(ActivityActions.StatusChanged,
            LostReason is null ? $"Lead {title} moved from {From} to {To}" : $"Lead {title} moved from {From} to {To}: {LostReason}",
            From: From.ToString(), To: To.ToString());
}

public sealed record LeadAssigned(Guid TenantId, Guid LeadId, Guid? AssigneeId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Assigned, AssigneeId is null ? $"Lead {title} unassigned" : $"Lead {title} assigned", To: AssigneeId?.ToString());
}

public sealed record LeadTagged(Guid TenantId, Guid LeadId, IReadOnlyList<string> Tags) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Tagged, $"Lead {title} tagged {string.Join(", ", Tags)}", To: string.Join(",", Tags));
}

public sealed record LeadUntagged(Guid TenantId, Guid LeadId, string Tag) : IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Untagged, $"Tag {Tag} removed from lead {title}", From: Tag);
}

public sealed record LeadContacted(Guid TenantId, Guid LeadId, DateTimeOffset At) : IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Contacted, $"Lead {title} contacted");
}

public sealed record LeadConverted(Guid TenantId, Guid LeadId, Guid CustomerId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Converted, $"Lead {title} converted into a customer", To: CustomerId.ToString());
}

public sealed record LeadDeleted(Guid TenantId, Guid LeadId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Deleted, $"Lead {title} deleted");
}
