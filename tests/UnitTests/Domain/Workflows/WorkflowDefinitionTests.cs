using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Workflows;

namespace CrmTenancy.UnitTests.Domain.Workflows;

public sealed class WorkflowDefinitionTests
{
    private static readonly WorkflowTrigger Captured = new(TriggerKind.LeadCaptured);

    private static IReadOnlyList<(string Field, string Message)> Problems(params WorkflowStep[] steps) => new WorkflowDefinition(Captured, steps).Problems();

    [Fact]
    public void A_graph_with_both_branches_and_no_cycle_has_no_problem() =>
        Assert.Empty(Problems(
            new WorkflowStep("send", StepKind.SendEmail, Next: "check", TemplateId: Guid.NewGuid()),
            new WorkflowStep("check", StepKind.Condition, Condition: new StepCondition(ConditionKind.EmailOpened, EmailStep: "send", WithinHours: 24), Then: "hot", Else: "wait"),
            new WorkflowStep("wait", StepKind.Wait, Next: "hot", Minutes: 60),
            new WorkflowStep("hot", StepKind.ChangeLeadStatus, Status: LeadStatus.Engaged)));

    [Fact]
    public void A_cycle_is_named_step_by_step()
    {
        var problems = Problems(
            new WorkflowStep("a", StepKind.AddTag, Next: "b", Tag: "x"),
            new WorkflowStep("b", StepKind.Condition, Condition: new StepCondition(ConditionKind.HasTag, Tag: "x"), Then: "c", Else: "d"),
            new WorkflowStep("c", StepKind.Wait, Next: "a", Minutes: 5),
            new WorkflowStep("d", StepKind.Stop));
        var (field, message) = Assert.Single(problems);
        Assert.Equal("steps", field);
        Assert.Contains("a -> b -> c -> a", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_needs_both_branches_and_only_a_condition_has_them()
    {
        Assert.Contains(Problems(new WorkflowStep("c", StepKind.Condition, Condition: new StepCondition(ConditionKind.HasTag, Tag: "x"), Then: "c2"),
            new WorkflowStep("c2", StepKind.Stop)), p => p.Field == "steps[0].else");
        Assert.Contains(Problems(new WorkflowStep("t", StepKind.AddTag, Tag: "x", Then: "t")), p => p.Field == "steps[0].then");
    }

    [Fact]
    public void An_open_condition_names_a_send_step_and_ids_are_unique()
    {
        Assert.Contains(Problems(
            new WorkflowStep("w", StepKind.Wait, Minutes: 5, Next: "c"),
            new WorkflowStep("c", StepKind.Condition, Condition: new StepCondition(ConditionKind.EmailClicked, EmailStep: "w", WithinHours: 1), Then: "s", Else: "s"),
            new WorkflowStep("s", StepKind.Stop)), p => p.Field == "steps[1].condition.emailStep");
        Assert.Contains(Problems(new WorkflowStep("x", StepKind.Stop), new WorkflowStep("x", StepKind.Stop)), p => p.Field == "steps[1].id");
    }

    [Fact]
    public void A_contact_workflow_has_no_lead_status_step_and_compares_only_contact_fields()
    {
        var contactTagged = new WorkflowTrigger(TriggerKind.ContactTagAdded, Tag: "vip");
        Assert.True(new WorkflowDefinition(contactTagged, [new WorkflowStep("t", StepKind.AddTag, Tag: "welcomed")]).ForContacts);
        Assert.Contains(new WorkflowDefinition(contactTagged, [new WorkflowStep("m", StepKind.ChangeLeadStatus, Status: LeadStatus.Engaged)]).Problems(),
            p => p.Field == "steps[0].kind");
        static WorkflowStep Compare(string field) => new("c", StepKind.Condition,
            Condition: new StepCondition(ConditionKind.Field, Field: field, Operator: CompareOperator.Equals, Value: "x"), Then: "s", Else: "s");
        var stop = new WorkflowStep("s", StepKind.Stop);
        Assert.Contains(new WorkflowDefinition(contactTagged, [Compare("status"), stop]).Problems(), p => p.Field == "steps[0].condition.field");
        Assert.Empty(new WorkflowDefinition(contactTagged, [Compare("title"), stop]).Problems());
        Assert.Contains(new WorkflowDefinition(Captured, [Compare("title"), stop]).Problems(), p => p.Field == "steps[0].condition.field");
        Assert.Contains(new WorkflowDefinition(new WorkflowTrigger(TriggerKind.ContactTagAdded), [stop]).Problems(), p => p.Field == "trigger.tag");
        Assert.Contains(new WorkflowDefinition(contactTagged, [new WorkflowStep("t", StepKind.AddTag, Tag: "VIP")]).Problems(), p => p.Field == "steps[0].tag");
    }

    [Theory]
    [InlineData("https://hooks.example.com/x", true)]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    [InlineData("http://hooks.example.com/x", false)]
    [InlineData("ftp://hooks.example.com/x", false)]
    [InlineData("/relative", false)]
    public void A_webhook_calls_https_or_plain_http_to_this_machine_only(string url, bool valid) =>
        Assert.Equal(valid, Problems(new WorkflowStep("h", StepKind.Webhook, Url: url)).Count == 0);

    [Fact]
    public void An_edit_is_a_new_version_and_the_old_one_stays_as_it_was()
    {
        var first = new WorkflowDefinition(Captured, [new WorkflowStep("a", StepKind.AddTag, Tag: "one")]);
        var (workflow, v1) = Workflow.Create(Guid.NewGuid(), "Flow", first, enabled: true);
        var v2 = workflow.Change("Flow", new WorkflowDefinition(Captured, [new WorkflowStep("a", StepKind.AddTag, Tag: "two")]));
        Assert.Equal((1, 2), (v1.Number, v2.Number));
        Assert.Equal("one", v1.Definition.Steps[0].Tag);
        Assert.Equal(2, workflow.DefinitionVersion);
    }

    [Fact]
    public void A_tag_prefix_is_ct_eight_random_base36_characters_and_a_dash()
    {
        var prefixes = Enumerable.Range(0, 200).Select(_ => TagPrefix.New()).ToList();
        Assert.All(prefixes, p => Assert.Matches("^ct-[0-9a-z]{8}-$", p));
        Assert.All(prefixes, p => Assert.True(TagPrefix.IsWellFormed(p)));
        Assert.Equal(prefixes.Count, prefixes.Distinct().Count());
    }

    [Fact]
    public void A_step_fails_for_good_after_its_last_attempt_with_backoff_between()
    {
        var (workflow, _) = Workflow.Create(Guid.NewGuid(), "Flow", new WorkflowDefinition(Captured, [new WorkflowStep("a", StepKind.Stop)]), enabled: true);
        var now = DateTimeOffset.UtcNow;
        var (_, run) = WorkflowExecution.Start(workflow, Guid.NewGuid(), Guid.NewGuid(), now);
        for (var attempt = 1; attempt < WorkflowStepRun.MaxAttempts; attempt++)
        {
            Assert.False(run.FailAttempt("down", now, permanent: false));
            Assert.Equal(now.AddSeconds(Math.Pow(2, attempt)), run.DueAt);
        }
        Assert.True(run.FailAttempt("down", now, permanent: false));
        Assert.Equal(StepRunState.Failed, run.State);
    }
}
