using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Calls;

public enum CallDirection
{
    Outbound,
    Inbound,
}

/// <summary>
/// Scheduled, then Ringing, then InProgress, then Completed; or it ends as NoAnswer, Busy or Failed before it is
/// completed, or is Cancelled before it starts.
/// </summary>
public enum CallStatus
{
    Scheduled,
    Ringing,
    InProgress,
    Completed,
    NoAnswer,
    Busy,
    Failed,
    Cancelled,
}

public enum CallOutcome
{
    Interested,
    NotInterested,
    CallbackRequested,
    WrongNumber,
    Voicemail,
    Converted,
}

public sealed record CallScheduled(Guid TenantId, Guid CallId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"{title} scheduled");
}

/// <summary>The call moved from <paramref name="From"/> to <paramref name="To"/> (an outcome when it completed).</summary>
public sealed record CallStatusChanged(Guid TenantId, Guid CallId, CallStatus From, CallStatus To, CallOutcome? Outcome = null) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.StatusChanged, Outcome is { } outcome ? $"{title} completed: {outcome}" : $"{title} moved from {From} to {To}",
            From: From.ToString(), To: To.ToString());
}

/// <summary>
/// A call to or from a contact or lead of the tenant (or both, for one person known as both), optionally within a campaign (then of one of its targets). Its
/// duration is derived from when it started and ended, never sent. Owned by the user who made or took it, so record
/// visibility applies: under owner-only a member sees their own calls.
/// </summary>
public sealed class Call : AggregateRoot, IOwnedRecord, IActivitySubject
{
    public const int NotesMaxLength = FieldLengths.Notes;
    public const int RecordingUrlMaxLength = 2000;

    private Call() { }

    public Guid TenantId { get; private set; }
    public Guid? CampaignId { get; private set; }
    public Guid? TargetId { get; private set; }
    public Guid? ContactId { get; private set; }
    public Guid? LeadId { get; private set; }
    public CallDirection Direction { get; private set; }
    public CallStatus Status { get; private set; }
    public DateTimeOffset ScheduledAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>Whole seconds from start to end; none until a started call ends.</summary>
    public int? DurationSeconds { get; private set; }
    public CallOutcome? Outcome { get; private set; }
    public string? Notes { get; private set; }
    public string? RecordingUrl { get; private set; }
    /// <summary>The user who made or took the call; none for one an integration logged.</summary>
    public Guid? OwnerId { get; private set; }
    /// <summary>The same user: a call has no assignee of its own (record visibility reads both).</summary>
    public Guid? AssigneeId { get; private set; }
    /// <summary>A call is never shared with the whole tenant on its own.</summary>
    public bool Shared { get; private set; }

    public bool IsOver => Status is CallStatus.Completed or CallStatus.NoAnswer or CallStatus.Busy or CallStatus.Failed or CallStatus.Cancelled;

    string IActivitySubject.ActivityTitle => $"{(Direction == CallDirection.Inbound ? "Inbound" : "Outbound")} call";

    /// <summary>
    /// A call with a contact, a lead, or both when they are the same person (a lead who is also a contact), in a
    /// campaign when the party names the campaign and its target.
    /// </summary>
    public static Call Schedule(Guid tenantId, CallParty party, CallDirection direction, DateTimeOffset at, Guid? userId, string? notes)
    {
        if (party.ContactId is null && party.LeadId is null)
            throw new DomainRuleException("call-party", "A call is with a contact or a lead.");
        var call = new Call
        {
            TenantId = Guard.Tenant(tenantId),
            CampaignId = party.CampaignId,
            TargetId = party.TargetId,
            ContactId = party.ContactId,
            LeadId = party.LeadId,
            Direction = direction,
            Status = CallStatus.Scheduled,
            ScheduledAt = at,
            OwnerId = userId,
            AssigneeId = userId,
            Notes = Guard.Optional(notes, NotesMaxLength, "notes"),
        };
        call.Raise(new CallScheduled(call.TenantId, call.Id));
        return call;
    }

    public void Ring()
    {
        Require(CallStatus.Ringing, CallStatus.Scheduled);
        Move(CallStatus.Ringing);
    }

    /// <summary>The call is answered (from Scheduled or Ringing) at <paramref name="at"/>.</summary>
    public void Start(DateTimeOffset at)
    {
        Require(CallStatus.InProgress, CallStatus.Scheduled, CallStatus.Ringing);
        StartedAt = at;
        Move(CallStatus.InProgress);
    }

    /// <summary>An answered call ends with an outcome; its duration is the time since it started.</summary>
    public void Complete(DateTimeOffset at, CallOutcome outcome, string? notes, string? recordingUrl)
    {
        Require(CallStatus.Completed, CallStatus.InProgress);
        EndedAt = at < StartedAt ? StartedAt : at;
        DurationSeconds = (int)Math.Min(int.MaxValue, (EndedAt!.Value - StartedAt!.Value).TotalSeconds);
        Outcome = outcome;
        if (Guard.Optional(notes, NotesMaxLength, "notes") is { } written)
            Notes = written;
        RecordingUrl = Guard.Optional(recordingUrl, RecordingUrlMaxLength, "recordingUrl");
        var from = Status;
        Status = CallStatus.Completed;
        Raise(new CallStatusChanged(TenantId, Id, from, Status, outcome));
    }

    /// <summary>The call did not get through (<see cref="CallStatus.NoAnswer"/>, <see cref="CallStatus.Busy"/>) or broke (<see cref="CallStatus.Failed"/>).</summary>
    public void EndUnanswered(CallStatus status, DateTimeOffset at)
    {
        if (status is not (CallStatus.NoAnswer or CallStatus.Busy or CallStatus.Failed))
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not an unanswered end.");
        if (status == CallStatus.Failed)
            Require(status, CallStatus.Scheduled, CallStatus.Ringing, CallStatus.InProgress);
        else
            Require(status, CallStatus.Scheduled, CallStatus.Ringing);
        EndedAt = at;
        if (StartedAt is { } started)
            DurationSeconds = (int)Math.Max(0, Math.Min(int.MaxValue, (at - started).TotalSeconds));
        Move(status);
    }

    public void Cancel()
    {
        Require(CallStatus.Cancelled, CallStatus.Scheduled, CallStatus.Ringing);
        Move(CallStatus.Cancelled);
    }

    private void Require(CallStatus to, params CallStatus[] from) => StatusRules.Require("call-status-transition", "call", Status, to, from);

    private void Move(CallStatus to)
    {
        var from = Status;
        Status = to;
        Raise(new CallStatusChanged(TenantId, Id, from, to));
    }
}

/// <summary>Who a call is with: a contact or a lead, and the campaign and target when it is a campaign's call.</summary>
public sealed record CallParty(Guid? ContactId, Guid? LeadId, Guid? CampaignId = null, Guid? TargetId = null);
