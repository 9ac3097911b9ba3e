using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Customers;

public sealed record CustomerCreated(Guid TenantId, Guid CustomerId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"Customer {title} created");
}

/// <summary>The customer's descriptive fields changed (their names in <paramref name="Fields"/>).</summary>
public sealed record CustomerUpdated(Guid TenantId, Guid CustomerId, IReadOnlyList<string> Fields) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, $"Customer {title} updated: {string.Join(", ", Fields)}", Fields);
}

public sealed record CustomerStatusChanged(Guid TenantId, Guid CustomerId, CustomerStatus From, CustomerStatus To) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.StatusChanged, $"Customer {title} moved from {From} to {To}", From: From.ToString(), To: To.ToString());
}

public sealed record CustomerAssigned(Guid TenantId, Guid CustomerId, Guid? AssigneeId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Assigned, AssigneeId is null ? $"Customer {title} unassigned" : $"Customer {title} assigned", To: AssigneeId?.ToString());
}

public sealed record CustomerTagged(Guid TenantId, Guid CustomerId, IReadOnlyList<string> Tags) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Tagged, $"Customer {title} tagged {string.Join(", ", Tags)}", To: string.Join(",", Tags));
}

public sealed record CustomerUntagged(Guid TenantId, Guid CustomerId, string Tag) : IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Untagged, $"Tag {Tag} removed from customer {title}", From: Tag);
}

public sealed record CustomerPurchaseRecorded(Guid TenantId, Guid CustomerId, decimal Amount, DateOnly On) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.PurchaseRecorded, $"Purchase of {Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} on {On:yyyy-MM-dd} recorded for customer {title}",
            To: Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record CustomerDeleted(Guid TenantId, Guid CustomerId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Deleted, $"Customer {title} deleted");
}
