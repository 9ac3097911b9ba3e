using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Calls;

namespace CrmTenancy.Application.Calls;

/// <summary>The options of the call list; every one is optional. <c>From</c> and <c>To</c> bound the scheduled time.</summary>
public sealed record CallFilter(
    Guid? CampaignId = null,
    Guid? ContactId = null,
    Guid? LeadId = null,
    CallStatus? Status = null,
    CallOutcome? Outcome = null,
    Guid? OwnerId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>The call list: filters, the latest scheduled first (ties broken by id), a page.</summary>
public sealed class CallListSpecification : TenantSpecification<Call>
{
    public CallListSpecification(ITenantContext tenant, CallFilter filter, int page, int pageSize) : base(tenant)
    {
        if (filter.CampaignId is { } campaign)
            Query.Where(c => c.CampaignId == campaign);
        if (filter.ContactId is { } contact)
            Query.Where(c => c.ContactId == contact);
        if (filter.LeadId is { } lead)
            Query.Where(c => c.LeadId == lead);
        if (filter.Status is { } status)
            Query.Where(c => c.Status == status);
        if (filter.Outcome is { } outcome)
            Query.Where(c => c.Outcome == outcome);
        if (filter.OwnerId is { } owner)
            Query.Where(c => c.OwnerId == owner);
        // Instants in UTC: PostgreSQL's timestamptz takes no other offset from the driver.
        if (filter.From is { } from)
        {
            var start = from.ToUniversalTime();
            Query.Where(c => c.ScheduledAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.ToUniversalTime();
            Query.Where(c => c.ScheduledAt < end);
        }
        Query.OrderByDescending(c => c.ScheduledAt).ThenByDescending(c => c.Id).Page(page, pageSize).AsNoTracking();
    }
}
