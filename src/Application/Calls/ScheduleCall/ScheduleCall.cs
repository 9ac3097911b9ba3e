using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Calls;
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

namespace CrmTenancy.Application.Calls.ScheduleCall;

/// <summary>
/// Schedules a call with a contact or a lead of the tenant (or both, when one person is known as both), optionally in
/// an active campaign that targets that person (<see cref="CampaignId"/>, from the campaign's route); <c>scheduledAt</c>
/// defaults to now. Another tenant's person or campaign is a 404. An If-Match on a campaign call is the campaign's
/// version as the caller saw it (412 when it has changed since: paused, say).
/// </summary>
public sealed record ScheduleCall : ICommand<Guid>, IConditionalCommand
{
    [System.Text.Json.Serialization.JsonIgnore]
    public int? ExpectedVersion { get; init; }

    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? CampaignId { get; init; }
    public CallDirection Direction { get; init; } = CallDirection.Outbound;
    public DateTimeOffset? ScheduledAt { get; init; }
    public string? Notes { get; init; }
}

public sealed class ScheduleCallValidator : AbstractValidator<ScheduleCall>
{
    public ScheduleCallValidator()
    {
        RuleFor(x => x.ContactId).NotNull().When(x => x.LeadId is null).WithMessage("A call is with a contact or a lead: give contactId or leadId.");
        RuleFor(x => x.ContactId).NotEqual(Guid.Empty);
        RuleFor(x => x.LeadId).NotEqual(Guid.Empty);
        RuleFor(x => x.CampaignId).NotEqual(Guid.Empty);
        RuleFor(x => x.Direction).IsInEnum();
        RuleFor(x => x.ScheduledAt!.Value.Year).InclusiveBetween(2000, 9000).When(x => x.ScheduledAt is not null).OverridePropertyName("scheduledAt");
        RuleFor(x => x.Notes).MaximumLength(Call.NotesMaxLength);
    }
}

public sealed class ScheduleCallHandler(
    IRepository<Call> calls, IReadRepository<Contact> contacts, IReadRepository<Lead> leads, IReadRepository<Campaign> campaigns,
    IReadRepository<CampaignTarget> targets, ITenantContext tenant, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<ScheduleCall, Guid>
{
    public async Task<Guid> Handle(ScheduleCall request, CancellationToken cancellationToken)
    {
        if (request.ContactId is { } contact && !await contacts.AnyAsync(new ReadByIdSpecification<Contact>(tenant, contact), cancellationToken))
            throw new NotFoundException(nameof(Contact), contact);
        if (request.LeadId is { } lead && !await leads.AnyAsync(new ReadByIdSpecification<Lead>(tenant, lead), cancellationToken))
            throw new NotFoundException(nameof(Lead), lead);
        Guid? targetId = null;
        if (request.CampaignId is { } campaignId)
        {
            var campaign = await campaigns.FirstOrDefaultAsync(new ReadByIdSpecification<Campaign>(tenant, campaignId), cancellationToken)
                           ?? throw new NotFoundException(nameof(Campaign), campaignId);
            if (request.ExpectedVersion is { } expected && campaign.Version != expected)
                throw new PreconditionFailedException(nameof(Campaign));
            if (campaign.Status != CampaignStatus.Active)
                throw new DomainRuleException("campaign-not-active", $"A {campaign.Status} campaign makes no calls.");
            var target = await targets.FirstOrDefaultAsync(new TargetOfPersonSpecification(tenant, campaignId, request.ContactId, request.LeadId), cancellationToken)
                         ?? throw new DomainRuleException("call-not-a-target", "The person is not a target of this campaign.");
            targetId = target.Id;
        }
        var call = Call.Schedule(tenant.TenantId, new CallParty(request.ContactId, request.LeadId, request.CampaignId, targetId),
            request.Direction, request.ScheduledAt?.ToUniversalTime() ?? clock.GetUtcNow(), user.UserId, request.Notes);
        calls.Add(call);
        return call.Id;
    }
}
