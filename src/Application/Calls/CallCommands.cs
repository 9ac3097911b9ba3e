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

/// <summary>
/// Schedules a call with a contact or a lead of the tenant (or both, when one person is known as both), optionally in
/// an active campaign that targets that person (<see cref="CampaignId"/>, from the campaign's route); <c>scheduledAt</c>
/// defaults to now. Another tenant's person or campaign is a 404.
/// </summary>
public sealed record ScheduleCall : ICommand<Guid>
{
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
            if (campaign.Status != CampaignStatus.Active)
                throw new DomainRuleException("campaign-not-active", $"A {campaign.Status} campaign makes no calls.");
            var target = await targets.FirstOrDefaultAsync(new TargetOfPersonSpecification(tenant, campaignId, request.ContactId, request.LeadId), cancellationToken)
                         ?? throw new DomainRuleException("call-not-a-target", "The person is not a target of this campaign.");
            targetId = target.Id;
        }
        var call = Call.Schedule(tenant.TenantId, new CallParty(request.ContactId, request.LeadId, request.CampaignId, targetId),
            request.Direction, request.ScheduledAt ?? clock.GetUtcNow(), user.UserId, request.Notes);
        calls.Add(call);
        return call.Id;
    }
}

/// <summary>A campaign's target for the contact or the lead (the contact's first when both are targets).</summary>
public sealed class TargetOfPersonSpecification : TenantSpecification<CampaignTarget>
{
    public TargetOfPersonSpecification(ITenantContext tenant, Guid campaignId, Guid? contactId, Guid? leadId) : base(tenant) =>
        Query.Where(t => t.CampaignId == campaignId && ((contactId != null && t.ContactId == contactId) || (leadId != null && t.LeadId == leadId)))
            .OrderBy(t => t.ContactId == null).AsNoTracking();
}

/// <summary>How a call moves on; <c>complete</c> takes its outcome (<see cref="CompleteCall"/>).</summary>
public enum CallMove
{
    Ring,
    Start,
    NoAnswer,
    Busy,
    Failed,
    Cancel,
}

public sealed record MoveCall(Guid Id, CallMove Move, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class MoveCallValidator : AbstractValidator<MoveCall>
{
    public MoveCallValidator() => RuleFor(x => x.Move).IsInEnum();
}

/// <summary>
/// The domain decides which moves are allowed (409 <c>call-status-transition</c>). In the same transaction a campaign
/// call's target records the attempt: reached when the call starts, attempted when it ends unanswered.
/// </summary>
public sealed class MoveCallHandler(IRepository<Call> calls, IRepository<CampaignTarget> targets, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<MoveCall, Unit>
{
    public async Task<Unit> Handle(MoveCall request, CancellationToken cancellationToken)
    {
        var call = await calls.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        switch (request.Move)
        {
            case CallMove.Ring: call.Ring(); break;
            case CallMove.Start: call.Start(now); break;
            case CallMove.NoAnswer: call.EndUnanswered(CallStatus.NoAnswer, now); break;
            case CallMove.Busy: call.EndUnanswered(CallStatus.Busy, now); break;
            case CallMove.Failed: call.EndUnanswered(CallStatus.Failed, now); break;
            case CallMove.Cancel: call.Cancel(); break;
            default: throw new ArgumentOutOfRangeException(nameof(request), request.Move, "Not a call move.");
        }
        if (request.Move is not (CallMove.Ring or CallMove.Cancel))
            await CallTargets.RecordAsync(call, targets, tenant, now, reached: request.Move == CallMove.Start, completed: false, ended: request.Move != CallMove.Start, cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// Completes an answered call with its outcome, notes and recording: in the same transaction its campaign target is
/// completed and the contact's or open lead's last-contacted time moves. A call that converted a lead answers with the
/// conversion's link; conversion stays a command of its own.
/// </summary>
public sealed record CompleteCall(Guid Id, CallOutcome Outcome, string? Notes, string? RecordingUrl, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class CompleteCallValidator : AbstractValidator<CompleteCall>
{
    public CompleteCallValidator()
    {
        RuleFor(x => x.Outcome).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(Call.NotesMaxLength);
        RuleFor(x => x.RecordingUrl).MaximumLength(Call.RecordingUrlMaxLength)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(x => !string.IsNullOrEmpty(x.RecordingUrl)).WithMessage("The recording URL is an absolute http or https URL.");
    }
}

public sealed class CompleteCallHandler(
    IRepository<Call> calls, IRepository<CampaignTarget> targets, IRepository<Contact> contacts, IRepository<Lead> leads,
    ITenantContext tenant, TimeProvider clock) : IRequestHandler<CompleteCall, Unit>
{
    public async Task<Unit> Handle(CompleteCall request, CancellationToken cancellationToken)
    {
        var call = await calls.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        call.Complete(now, request.Outcome, request.Notes, request.RecordingUrl);
        await CallTargets.RecordAsync(call, targets, tenant, now, reached: true, completed: true, ended: true, cancellationToken);
        // The person may have been deleted since (the call keeps its history) or be hidden from this caller: then there
        // is no one to update. A converted or lost lead is no longer worked, so its last contact stays.
        if (call.ContactId is { } contactId && await contacts.FirstOrDefaultAsync(new PersonForChangeSpecification<Contact>(tenant, contactId), cancellationToken) is { } contact)
            contact.RecordContact(now);
        if (call.LeadId is { } leadId && await leads.FirstOrDefaultAsync(new PersonForChangeSpecification<Lead>(tenant, leadId), cancellationToken) is { IsOpen: true } lead)
            lead.RecordContact(now);
        return Unit.Value;
    }
}

/// <summary>A contact or lead by id, to change it along with a call (the caller's record visibility applies).</summary>
public sealed class PersonForChangeSpecification<T> : TenantSpecification<T>, ILocksForChange where T : AggregateRoot, ITenantOwned
{
    public PersonForChangeSpecification(ITenantContext tenant, Guid id) : base(tenant) => Query.Where(p => p.Id == id);
}

internal static class CallTargets
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
