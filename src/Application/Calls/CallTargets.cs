using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Campaigns;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Calls;

/// <summary>A campaign's target for the contact or the lead (the contact's first when both are targets).</summary>
public sealed class TargetOfPersonSpecification : TenantSpecification<CampaignTarget>
{
    public TargetOfPersonSpecification(ITenantContext tenant, Guid campaignId, Guid? contactId, Guid? leadId) : base(tenant) =>
        Query.Where(t => t.CampaignId == campaignId && ((contactId != null && t.ContactId == contactId) || (leadId != null && t.LeadId == leadId)))
            .OrderBy(t => t.ContactId == null).AsNoTracking();
}

/// <summary>
/// A contact or lead by id, to record a contact made by a call: every record the caller may see, shared ones included
/// (the last-contacted time is the call's consequence, not an edit of the record).
/// </summary>
public sealed class PersonForChangeSpecification<T> : TenantSpecification<T> where T : AggregateRoot, ITenantOwned
{
    public PersonForChangeSpecification(ITenantContext tenant, Guid id) : base(tenant) => Query.Where(p => p.Id == id);
}

public static class CallTargets
{
    /// <summary>A campaign call's attempt on its target, if the target is still there.</summary>
    public static async Task RecordAsync(Call call, IRepository<CampaignTarget> targets, ITenantContext tenant, DateTimeOffset at,
        bool reached, bool completed, bool ended, CancellationToken cancellationToken)
    {
        if (call.CampaignId is not { } campaign || call.TargetId is not { } targetId)
            return;
        var target = await targets.FirstOrDefaultAsync(new CampaignTargetsByIdSpecification(tenant, campaign, [targetId]), cancellationToken);
        target?.Attempted(at, reached, completed, ended);
    }
}
