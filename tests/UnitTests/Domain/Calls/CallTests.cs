using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Common;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Calls;

public sealed class CallTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static Call NewCall() =>
        Call.Schedule(TestData.TenantA, new CallParty(Guid.NewGuid(), null), CallDirection.Outbound, Now, TestData.UserId, "First try");

    private static Call CallAt(CallStatus status)
    {
        var call = NewCall();
        switch (status)
        {
            case CallStatus.Ringing: call.Ring(); break;
            case CallStatus.InProgress: call.Start(Now); break;
            case CallStatus.Completed: call.Start(Now); call.Complete(Now.AddMinutes(3), CallOutcome.Interested, null, null); break;
            case CallStatus.NoAnswer or CallStatus.Busy or CallStatus.Failed: call.EndUnanswered(status, Now); break;
            case CallStatus.Cancelled: call.Cancel(); break;
        }
        call.ClearDomainEvents();
        return call;
    }

    [Fact]
    public void A_call_needs_a_contact_or_a_lead_and_is_owned_by_its_caller()
    {
        var call = NewCall();
        Assert.Equal((CallStatus.Scheduled, TestData.UserId, TestData.UserId, false), (call.Status, call.OwnerId, call.AssigneeId, call.Shared));
        Assert.Equal("call-party", Assert.Throws<DomainRuleException>(() =>
            Call.Schedule(TestData.TenantA, new CallParty(null, null), CallDirection.Inbound, Now, null, null)).Rule);
    }

    [Fact]
    public void Completing_derives_the_duration_from_the_start_and_keeps_the_notes_unless_new_ones_come()
    {
        var call = CallAt(CallStatus.InProgress);
        call.Complete(Now.AddSeconds(125), CallOutcome.CallbackRequested, null, "https://recordings.example/1.mp3");

        Assert.Equal((CallStatus.Completed, 125, CallOutcome.CallbackRequested, "First try"), (call.Status, call.DurationSeconds, call.Outcome, call.Notes));
        var changed = Assert.IsType<CallStatusChanged>(Assert.Single(call.DomainEvents));
        Assert.Equal("Outbound call completed: CallbackRequested", changed.Describe("Outbound call").Summary);
    }

    [Fact]
    public void An_end_before_the_start_is_a_zero_duration_not_a_negative_one()
    {
        var call = CallAt(CallStatus.InProgress);
        call.Complete(Now.AddSeconds(-5), CallOutcome.Voicemail, null, null);
        Assert.Equal(0, call.DurationSeconds);
    }

    public static TheoryData<CallStatus, string, bool> Moves() => new()
    {
        { CallStatus.Scheduled, "ring", true }, { CallStatus.Scheduled, "start", true }, { CallStatus.Scheduled, "complete", false },
        { CallStatus.Scheduled, "noAnswer", true }, { CallStatus.Scheduled, "failed", true }, { CallStatus.Scheduled, "cancel", true },
        { CallStatus.Ringing, "ring", false }, { CallStatus.Ringing, "start", true }, { CallStatus.Ringing, "busy", true },
        { CallStatus.Ringing, "cancel", true }, { CallStatus.Ringing, "complete", false },
        { CallStatus.InProgress, "complete", true }, { CallStatus.InProgress, "failed", true }, { CallStatus.InProgress, "noAnswer", false },
        { CallStatus.InProgress, "cancel", false }, { CallStatus.InProgress, "start", false },
        { CallStatus.Completed, "cancel", false }, { CallStatus.Completed, "failed", false }, { CallStatus.Completed, "complete", false },
        { CallStatus.NoAnswer, "start", false }, { CallStatus.Busy, "ring", false }, { CallStatus.Failed, "cancel", false },
        { CallStatus.Cancelled, "start", false }, { CallStatus.Cancelled, "ring", false },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void The_status_machine_allows_exactly_its_moves(CallStatus from, string move, bool allowed)
    {
        var call = CallAt(from);
        Action act = move switch
        {
            "ring" => call.Ring,
            "start" => () => call.Start(Now),
            "complete" => () => call.Complete(Now, CallOutcome.Interested, null, null),
            "noAnswer" => () => call.EndUnanswered(CallStatus.NoAnswer, Now),
            "busy" => () => call.EndUnanswered(CallStatus.Busy, Now),
            "failed" => () => call.EndUnanswered(CallStatus.Failed, Now),
            _ => call.Cancel,
        };
        if (allowed)
        {
            act();
            Assert.Equal(from, Assert.IsType<CallStatusChanged>(Assert.Single(call.DomainEvents)).From);
        }
        else
        {
            Assert.Equal("call-status-transition", Assert.Throws<DomainRuleException>(act).Rule);
            Assert.Equal(from, call.Status);
        }
    }
}
