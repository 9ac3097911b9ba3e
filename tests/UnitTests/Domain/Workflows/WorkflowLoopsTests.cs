using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Workflows;

namespace CrmTenancy.UnitTests.Domain.Workflows;

public sealed class WorkflowLoopsTests
{
    private static WorkflowLoops.Candidate OnTag(string name, string tag, params WorkflowStep[] steps) =>
        new(Guid.NewGuid(), name, new WorkflowDefinition(new WorkflowTrigger(TriggerKind.TagAdded, Tag: tag), steps));

    private static WorkflowLoops.Candidate OnStatus(string name, LeadStatus status, params WorkflowStep[] steps) =>
        new(Guid.NewGuid(), name, new WorkflowDefinition(new WorkflowTrigger(TriggerKind.LeadStatusChanged, Status: status), steps));

    private static WorkflowStep Add(string id, string tag, string? next = null) => new(id, StepKind.AddTag, Next: next, Tag: tag);

    private static WorkflowStep Remove(string id, string tag, string? next = null) => new(id, StepKind.RemoveTag, Next: next, Tag: tag);

    private static WorkflowStep Move(string id, LeadStatus status, string? next = null) => new(id, StepKind.ChangeLeadStatus, Next: next, Status: status);

    [Fact]
    public void Workflows_that_only_add_each_others_tags_end_by_themselves()
    {
        var a = OnTag("A", "x", Add("1", "y"));
        var b = OnTag("B", "y", Add("1", "x"));
        Assert.Null(WorkflowLoops.Through(a, [b]));
    }

    [Fact]
    public void Workflows_that_remove_the_tags_they_pass_on_go_round_for_ever()
    {
        var a = OnTag("A", "x", Remove("1", "x", "2"), Add("2", "y"));
        var b = OnTag("B", "y", Remove("1", "y", "2"), Add("2", "x"));
        Assert.Equal(["A", "B", "A"], WorkflowLoops.Through(a, [b]));
        // Only one of the two tags removed: the other link fires once, and the chain ends.
        Assert.Null(WorkflowLoops.Through(a, [OnTag("B", "y", Remove("1", "y", "2"), Add("2", "z"))]));
    }

    [Fact]
    public void Status_moves_back_and_forth_are_a_loop_and_a_move_to_where_the_lead_is_is_not()
    {
        var a = OnStatus("A", LeadStatus.Engaged, Move("1", LeadStatus.Nurturing));
        var b = OnStatus("B", LeadStatus.Nurturing, Move("1", LeadStatus.Engaged));
        Assert.Equal(["B", "A", "B"], WorkflowLoops.Through(b, [a]));
        Assert.Null(WorkflowLoops.Through(OnStatus("S", LeadStatus.Engaged, Move("1", LeadStatus.Engaged)), []));
        Assert.NotNull(WorkflowLoops.Through(OnStatus("S", LeadStatus.Engaged, Move("1", LeadStatus.Nurturing, "2"), Move("2", LeadStatus.Engaged)), []));
    }

    [Fact]
    public void A_tag_that_stays_breaks_a_cycle_through_a_status()
    {
        var a = OnTag("A", "x", Move("1", LeadStatus.Engaged));
        var b = OnStatus("B", LeadStatus.Engaged, Add("1", "x"));
        Assert.Null(WorkflowLoops.Through(a, [b]));
    }

    [Fact]
    public void Lead_and_contact_tags_do_not_start_each_other()
    {
        var lead = OnTag("A", "x", Remove("1", "x", "2"), Add("2", "y"));
        var contact = new WorkflowLoops.Candidate(Guid.NewGuid(), "B",
            new WorkflowDefinition(new WorkflowTrigger(TriggerKind.ContactTagAdded, Tag: "y"), [Remove("1", "y", "2"), Add("2", "x")]));
        Assert.Null(WorkflowLoops.Through(lead, [contact]));
    }
}
