using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Domain.Campaigns;

/// <summary>Which people an audience takes.</summary>
public enum CampaignPeople
{
    ContactsAndLeads,
    Contacts,
    Leads,
}

/// <summary>
/// Who a campaign is for, as criteria over the tenant's own contacts and leads; launch turns it into targets. Every
/// list is "any of" and an empty list does not filter. Tags, customer statuses and customer sources select contacts
/// through their customer (a contact without a customer has none of them) and leads by their own tags; lead statuses
/// and lead sources apply to leads, contact types to contacts; owner and assignee to both. Without lead statuses only
/// open leads are taken (a converted lead is reached as its customer's contact, a lost one not at all).
/// </summary>
public sealed record CampaignAudience
{
    public const int MaxValues = 20;

    public CampaignPeople People { get; init; } = CampaignPeople.ContactsAndLeads;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<LeadStatus> LeadStatuses { get; init; } = [];
    public IReadOnlyList<LeadSource> LeadSources { get; init; } = [];
    public IReadOnlyList<ContactType> ContactTypes { get; init; } = [];
    public IReadOnlyList<CustomerStatus> CustomerStatuses { get; init; } = [];
    public IReadOnlyList<CustomerSource> CustomerSources { get; init; } = [];
    public Guid? OwnerId { get; init; }
    public Guid? AssigneeId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Contacts => People != CampaignPeople.Leads;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Leads => People != CampaignPeople.Contacts;

    /// <summary>Whether contacts are selected through their customer (a tag, status or source criterion).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool FiltersCustomers => Tags.Count > 0 || CustomerStatuses.Count > 0 || CustomerSources.Count > 0;

    /// <summary>The same audience with its tags normalised (as customer tags are), every list without repeats, a null list empty.</summary>
    public CampaignAudience Normalised() => this with
    {
        Tags = [.. (Tags ?? []).Select(CustomerTags.Normalise).Distinct()],
        LeadStatuses = [.. (LeadStatuses ?? []).Distinct()],
        LeadSources = [.. (LeadSources ?? []).Distinct()],
        ContactTypes = [.. (ContactTypes ?? []).Distinct()],
        CustomerStatuses = [.. (CustomerStatuses ?? []).Distinct()],
        CustomerSources = [.. (CustomerSources ?? []).Distinct()],
    };

    public bool Equals(CampaignAudience? other) =>
        other is not null && People == other.People && Tags.SequenceEqual(other.Tags)
        && LeadStatuses.SequenceEqual(other.LeadStatuses) && LeadSources.SequenceEqual(other.LeadSources)
        && ContactTypes.SequenceEqual(other.ContactTypes) && CustomerStatuses.SequenceEqual(other.CustomerStatuses)
        && CustomerSources.SequenceEqual(other.CustomerSources) && OwnerId == other.OwnerId && AssigneeId == other.AssigneeId;

    public override int GetHashCode() => HashCode.Combine(People, Tags.Count, OwnerId, AssigneeId);
}
