using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Application.Campaigns;

/// <summary>The options of the campaign list; every one is optional.</summary>
public sealed record CampaignFilter(CampaignStatus? Status = null, CampaignChannel? Channel = null, Guid? OwnerId = null);

/// <summary>The campaign list: filters, the newest first (ties broken by id), a page.</summary>
public sealed class CampaignListSpecification : TenantSpecification<Campaign>
{
    public CampaignListSpecification(ITenantContext tenant, CampaignFilter filter, int page, int pageSize) : base(tenant)
    {
        if (filter.Status is { } status)
            Query.Where(c => c.Status == status);
        if (filter.Channel is { } channel)
            Query.Where(c => c.Channel == channel);
        if (filter.OwnerId is { } owner)
            Query.Where(c => c.OwnerId == owner);
        Query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Page(page, pageSize).AsNoTracking();
    }
}

/// <summary>A page of one campaign's targets, optionally in one state, in the order they were made.</summary>
public sealed class CampaignTargetListSpecification : TenantSpecification<CampaignTarget>
{
    public CampaignTargetListSpecification(ITenantContext tenant, Guid campaignId, CampaignTargetState? state, int page, int pageSize) : base(tenant)
    {
        Query.Where(t => t.CampaignId == campaignId);
        if (state is { } wanted)
            Query.Where(t => t.State == wanted);
        Query.OrderBy(t => t.Id).Page(page, pageSize).AsNoTracking();
    }
}

/// <summary>Targets of one campaign by id, tracked for a change.</summary>
public sealed class CampaignTargetsByIdSpecification : TenantSpecification<CampaignTarget>, ILocksForChange
{
    public CampaignTargetsByIdSpecification(ITenantContext tenant, Guid campaignId, IReadOnlyCollection<Guid> ids) : base(tenant) =>
        Query.Where(t => t.CampaignId == campaignId && ids.Contains(t.Id));
}

/// <summary>The people a campaign already targets (whoever added them), to leave them out of what is added.</summary>
public sealed class CampaignPeopleSpecification : TenantSpecification<CampaignTarget>
{
    public CampaignPeopleSpecification(ITenantContext tenant, Guid campaignId) : base(tenant) =>
        Query.Where(t => t.CampaignId == campaignId).AsNoTracking();
}

/// <summary>Who a campaign target is (the contact or lead, its phone and email), to leave out the people a campaign already has.</summary>
public sealed class TargetPerson : IProjection<CampaignTarget, TargetPerson>
{
    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }

    static IQueryable<TargetPerson> IProjection<CampaignTarget, TargetPerson>.ProjectFrom(IQueryable<CampaignTarget> source) =>
        source.Select(t => new TargetPerson { ContactId = t.ContactId, LeadId = t.LeadId, Phone = t.Phone, Email = t.Email });
}

/// <summary>A contact or lead as a campaign would reach it: who, and by which phone and email.</summary>
public sealed class ReachablePerson : IProjection<Contact, ReachablePerson>, IProjection<Lead, ReachablePerson>
{
    public Guid Id { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? NormalizedEmail { get; init; }

    static IQueryable<ReachablePerson> IProjection<Contact, ReachablePerson>.ProjectFrom(IQueryable<Contact> source) =>
        source.Select(c => new ReachablePerson { Id = c.Id, FirstName = c.FirstName, LastName = c.LastName, Phone = c.Phone, Email = c.Email, NormalizedEmail = c.NormalizedEmail });

    static IQueryable<ReachablePerson> IProjection<Lead, ReachablePerson>.ProjectFrom(IQueryable<Lead> source) =>
        source.Select(l => new ReachablePerson { Id = l.Id, FirstName = l.FirstName, LastName = l.LastName, Phone = l.Phone, Email = l.Email, NormalizedEmail = l.NormalizedEmail });
}

/// <summary>A customer's id alone.</summary>
public sealed class CustomerKey : IProjection<Customer, CustomerKey>
{
    public Guid Id { get; init; }

    static IQueryable<CustomerKey> IProjection<Customer, CustomerKey>.ProjectFrom(IQueryable<Customer> source) =>
        source.Select(c => new CustomerKey { Id = c.Id });
}

/// <summary>
/// The audience compiled into specifications of the caller's tenant (and, for an owner-only member, of the records
/// they may see): whatever the definition says, it is criteria added after the tenant's own, so it cannot reach
/// another tenant's rows. Each takes only people the channel can reach (a phone for voice, an email for email).
/// </summary>
public static class AudienceSpecifications
{
    /// <summary>The customers whose contacts the audience's tags, customer statuses and customer sources select.</summary>
    public sealed class Customers : TenantSpecification<Customer>
    {
        public Customers(ITenantContext tenant, CampaignAudience audience) : base(tenant)
        {
            if (audience.Tags.Count > 0)
            {
                var tags = audience.Tags.ToArray();
                Query.Where(c => c.Tags.Any(t => tags.Contains(t)));
            }
            if (audience.CustomerStatuses.Count > 0)
            {
                var statuses = audience.CustomerStatuses.ToArray();
                Query.Where(c => statuses.Contains(c.Status));
            }
            if (audience.CustomerSources.Count > 0)
            {
                var sources = audience.CustomerSources.ToArray();
                Query.Where(c => sources.Contains(c.Source));
            }
            Query.AsNoTracking();
        }
    }

    public sealed class Contacts : TenantSpecification<Contact>
    {
        /// <param name="customerIds">The customers selected by <see cref="Customers"/>, when the audience filters by them.</param>
        public Contacts(ITenantContext tenant, CampaignAudience audience, CampaignChannel channel, IReadOnlyCollection<Guid>? customerIds) : base(tenant)
        {
            if (channel == CampaignChannel.Voice)
                Query.Where(c => c.Phone != null);
            else
                Query.Where(c => c.Email != null);
            if (audience.ContactTypes.Count > 0)
            {
                var types = audience.ContactTypes.ToArray();
                Query.Where(c => types.Contains(c.Type));
            }
            if (customerIds is not null)
            {
                var ids = customerIds.ToArray();
                Query.Where(c => c.CustomerId != null && ids.Contains(c.CustomerId.Value));
            }
            if (audience.OwnerId is { } owner)
                Query.Where(c => c.OwnerId == owner);
            if (audience.AssigneeId is { } assignee)
                Query.Where(c => c.AssigneeId == assignee);
            Query.OrderBy(c => c.Id).AsNoTracking();
        }
    }

    public sealed class Leads : TenantSpecification<Lead>
    {
        public Leads(ITenantContext tenant, CampaignAudience audience, CampaignChannel channel) : base(tenant)
        {
            if (channel == CampaignChannel.Voice)
                Query.Where(l => l.Phone != null);
            else
                Query.Where(l => l.Email != null);
            var statuses = audience.LeadStatuses.Count > 0
                ? audience.LeadStatuses.ToArray()
                : [LeadStatus.New, LeadStatus.Nurturing, LeadStatus.Engaged, LeadStatus.Qualified];
            Query.Where(l => statuses.Contains(l.Status));
            if (audience.LeadSources.Count > 0)
            {
                var sources = audience.LeadSources.ToArray();
                Query.Where(l => sources.Contains(l.Source));
            }
            if (audience.Tags.Count > 0)
            {
                var tags = audience.Tags.ToArray();
                Query.Where(l => l.Tags.Any(t => tags.Contains(t)));
            }
            if (audience.OwnerId is { } owner)
                Query.Where(l => l.OwnerId == owner);
            if (audience.AssigneeId is { } assignee)
                Query.Where(l => l.AssigneeId == assignee);
            Query.OrderBy(l => l.Id).AsNoTracking();
        }
    }
}
