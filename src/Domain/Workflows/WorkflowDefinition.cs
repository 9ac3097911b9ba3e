using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Domain.Workflows;

public enum TriggerKind
{
    /// <summary>A tag (<see cref="WorkflowTrigger.Tag"/>) was added to a lead.</summary>
    TagAdded,
    /// <summary>A lead was created or captured.</summary>
    LeadCaptured,
    /// <summary>A lead moved to <see cref="WorkflowTrigger.Status"/>.</summary>
    LeadStatusChanged,
    /// <summary>
    /// A tag (<see cref="WorkflowTrigger.Tag"/>) was added to a contact: contacts carry their customer's tags (as a
    /// campaign's audience reads them), so the workflow starts once for each contact of the tagged customer.
    /// </summary>
    ContactTagAdded,
}

public sealed record WorkflowTrigger(TriggerKind Kind, string? Tag = null, LeadStatus? Status = null);

public enum StepKind
{
    Wait,
    SendEmail,
    Condition,
    AddTag,
    RemoveTag,
    ChangeLeadStatus,
    NotifyOwner,
    Webhook,
    Stop,
}

public enum ConditionKind
{
    /// <summary>The email sent by step <see cref="StepCondition.EmailStep"/> was opened within <see cref="StepCondition.WithinHours"/>.</summary>
    EmailOpened,
    EmailClicked,
    HasTag,
    /// <summary>A field of the lead compared with <see cref="StepCondition.Value"/>.</summary>
    Field,
    /// <summary>A number of the tenant compared with <see cref="StepCondition.Value"/>.</summary>
    Metric,
}

public enum CompareOperator
{
    Equals,
    NotEquals,
    Contains,
    GreaterThan,
    LessThan,
}

public enum WorkflowMetric
{
    LeadsCapturedThisMonth,
    OpenLeads,
}

public sealed record StepCondition(
    ConditionKind Kind, string? EmailStep = null, int? WithinHours = null, string? Tag = null, string? Field = null,
    CompareOperator? Operator = null, string? Value = null, WorkflowMetric? Metric = null);

/// <summary>
/// One step of a workflow, named by <see cref="Id"/>; the next one is <see cref="Next"/> (none: the workflow ends),
/// and a condition goes on to <see cref="Then"/> or <see cref="Else"/>. What a kind reads: wait <see cref="Minutes"/>;
/// send email <see cref="TemplateId"/>; add or remove tag <see cref="Tag"/>; change lead status <see cref="Status"/>;
/// notify owner <see cref="Message"/>; webhook <see cref="Url"/>; condition <see cref="Condition"/>.
/// </summary>
public sealed record WorkflowStep(
    string Id, StepKind Kind, string? Next = null, int? Minutes = null, Guid? TemplateId = null, string? Tag = null,
    LeadStatus? Status = null, string? Url = null, string? Message = null, StepCondition? Condition = null,
    string? Then = null, string? Else = null);

/// <summary>
/// What a workflow does: its trigger and its steps, a graph from the first step. Checked as a whole
/// (<see cref="Problems"/>): unique ids, every reference names a step, every condition has both branches, no cycle.
/// Immutable once saved: a change is a new version, and executions finish on the version they started with.
/// </summary>
public sealed record WorkflowDefinition(WorkflowTrigger Trigger, IReadOnlyList<WorkflowStep> Steps)
{
    public const int MaxSteps = 100;
    public const int StepIdMaxLength = 40;
    public const int MaxWaitMinutes = 366 * 24 * 60;
    public const int MaxWithinHours = 90 * 24;
    public const int MessageMaxLength = 2000;
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "status", "source", "email", "firstName", "lastName", "companyName", "interest",
    };

    public static readonly IReadOnlySet<string> ContactFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "email", "firstName", "lastName", "companyName", "title", "type",
    };

    public WorkflowStep First => Steps[0];

    /// <summary>Whether the workflow runs for contacts (a <see cref="TriggerKind.ContactTagAdded"/> trigger) rather than leads.</summary>
    public bool ForContacts => Trigger.Kind == TriggerKind.ContactTagAdded;

    public WorkflowStep Step(string id) => Steps.First(s => s.Id == id);

    public IEnumerable<Guid> TemplateIds => Steps.Where(s => s.TemplateId is not null).Select(s => s.TemplateId!.Value).Distinct();

    /// <summary>Every problem of the definition as (field, message); none for a definition that can run.</summary>
    public IReadOnlyList<(string Field, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        void Add(string field, string message) => problems.Add((field, message));

        if (Trigger is null)
            return [("trigger", "A workflow needs a trigger.")];
        if (!Enum.IsDefined(Trigger.Kind))
            Add("trigger.kind", "Unknown trigger kind.");
        if (Trigger.Kind is TriggerKind.TagAdded or TriggerKind.ContactTagAdded && !IsTag(Trigger.Tag))
            Add("trigger.tag", $"A tag trigger names its tag (letters or digits, at most {CustomerTags.MaxLength} characters).");
        if (Trigger.Kind == TriggerKind.LeadStatusChanged && Trigger.Status is null)
            Add("trigger.status", "A leadStatusChanged trigger names the status.");
        if (Steps is null || Steps.Count == 0 || Steps.Count > MaxSteps)
            return [.. problems, ("steps", $"A workflow has 1 to {MaxSteps} steps.")];

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var at = $"steps[{i}]";
            if (step is null)
            {
                Add(at, "A step cannot be null.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(step.Id) || step.Id.Length > StepIdMaxLength)
                Add($"{at}.id", $"A step has an id of 1 to {StepIdMaxLength} characters.");
            else if (!ids.Add(step.Id))
                Add($"{at}.id", $"Step id '{step.Id}' is used twice.");
            StepProblems(step, at, Add);
            SubjectStepProblems(step, at, Add);
        }
        if (problems.Count > 0)
            return problems;

        for (var i = 0; i < Steps.Count; i++)
        {
            foreach (var (field, target) in Targets(Steps[i]))
            {
                if (!ids.Contains(target))
                    Add($"steps[{i}].{field}", $"No step has the id '{target}'.");
            }
        }
        if (problems.Count == 0 && Cycle() is { } cycle)
            Add("steps", $"The steps form a cycle: {string.Join(" -> ", cycle)}.");
        // A workflow that adds the tag it starts on would start itself again, without end.
        if (problems.Count == 0 && Trigger.Kind is TriggerKind.TagAdded or TriggerKind.ContactTagAdded
            && Steps.FirstOrDefault(s => s.Kind == StepKind.AddTag && CustomerTags.Normalise(s.Tag!) == CustomerTags.Normalise(Trigger.Tag!)) is { } again)
            Add($"steps[{IndexOf(again)}].tag", "A workflow cannot add the tag that starts it: it would start itself again.");
        if (problems.Count == 0)
        {
            var sends = Steps.Where(s => s.Kind == StepKind.SendEmail).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < Steps.Count; i++)
            {
                if (Steps[i].Condition is { Kind: ConditionKind.EmailOpened or ConditionKind.EmailClicked, EmailStep: { } emailStep } && !sends.Contains(emailStep))
                    Add($"steps[{i}].condition.emailStep", $"'{emailStep}' is not a sendEmail step.");
            }
        }
        return problems;
    }

    private int IndexOf(WorkflowStep step)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (ReferenceEquals(Steps[i], step))
                return i;
        }
        return -1;
    }

    /// <summary>A tag that keeps something once normalised (lower case, letters, digits and dashes), within the length.</summary>
    private static bool IsTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > CustomerTags.MaxLength)
            return false;
        try
        {
            CustomerTags.Normalise(tag);
            return true;
        }
        catch (DomainRuleException)
        {
            return false;
        }
    }

    private static void StepProblems(WorkflowStep step, string at, Action<string, string> add)
    {
        switch (step.Kind)
        {
            case StepKind.Wait when step.Minutes is not (>= 1 and <= MaxWaitMinutes):
                add($"{at}.minutes", $"A wait lasts 1 to {MaxWaitMinutes} minutes.");
                break;
            case StepKind.SendEmail when step.TemplateId is null:
                add($"{at}.templateId", "A sendEmail step names its template.");
                break;
            case StepKind.AddTag or StepKind.RemoveTag when !IsTag(step.Tag):
                add($"{at}.tag", $"A tag step names a tag of 1 to {CustomerTags.MaxLength} characters.");
                break;
            case StepKind.ChangeLeadStatus when step.Status is not (LeadStatus.Nurturing or LeadStatus.Engaged or LeadStatus.Qualified):
                // New is where a lead starts, Converted takes a conversion, Lost takes a reason: none is a workflow's move.
                add($"{at}.status", "A changeLeadStatus step moves the lead to nurturing, engaged or qualified.");
                break;
            case StepKind.NotifyOwner when string.IsNullOrWhiteSpace(step.Message) || step.Message.Length > MessageMaxLength:
                add($"{at}.message", $"A notifyOwner step has a message of 1 to {MessageMaxLength} characters.");
                break;
            case StepKind.Webhook when !Uri.TryCreate(step.Url, UriKind.Absolute, out var url) || step.Url!.Length > FieldLengths.Url
                                       || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)):
                // Plain http only to this machine, for development; the deliverer refuses loopback outside it.
                add($"{at}.url", "A webhook step calls an absolute https URL.");
                break;
            case StepKind.Condition:
                ConditionProblems(step, at, add);
                break;
        }
        if (step.Kind is StepKind.Condition)
        {
            if (step.Next is not null)
                add($"{at}.next", "A condition goes on by then and else, not next.");
        }
        else if (step.Then is not null || step.Else is not null)
        {
            add($"{at}.then", "Only a condition has then and else.");
        }
        if (step.Kind is StepKind.Stop && step.Next is not null)
            add($"{at}.next", "Nothing follows a stop.");
    }

    /// <summary>What the workflow's subject has: a contact has no lead status, and a field is one of its subject's.</summary>
    private void SubjectStepProblems(WorkflowStep step, string at, Action<string, string> add)
    {
        if (ForContacts && step.Kind == StepKind.ChangeLeadStatus)
            add($"{at}.kind", "A workflow that runs for contacts cannot change a lead status.");
        var (fields, subject) = ForContacts ? (ContactFields, "contact") : (Fields, "lead");
        if (step.Condition is { Kind: ConditionKind.Field, Field: { } field } && (Fields.Contains(field) || ContactFields.Contains(field)) && !fields.Contains(field))
            add($"{at}.condition.field", $"A {subject}'s field is one of {string.Join(", ", fields.Order(StringComparer.Ordinal))}.");
    }

    private static void ConditionProblems(WorkflowStep step, string at, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(step.Then))
            add($"{at}.then", "A condition names the step it goes to when it holds (then).");
        if (string.IsNullOrWhiteSpace(step.Else))
            add($"{at}.else", "A condition names the step it goes to when it does not hold (else).");
        var condition = step.Condition;
        if (condition is null)
        {
            add($"{at}.condition", "A condition step has a condition.");
            return;
        }
        switch (condition.Kind)
        {
            case ConditionKind.EmailOpened or ConditionKind.EmailClicked:
                if (string.IsNullOrWhiteSpace(condition.EmailStep))
                    add($"{at}.condition.emailStep", "Name the sendEmail step whose email is looked at.");
                if (condition.WithinHours is not (>= 1 and <= MaxWithinHours))
                    add($"{at}.condition.withinHours", $"Within 1 to {MaxWithinHours} hours.");
                break;
            case ConditionKind.HasTag when !IsTag(condition.Tag):
                add($"{at}.condition.tag", "Name the tag.");
                break;
            case ConditionKind.Field:
                if (condition.Field is null || !(Fields.Contains(condition.Field) || ContactFields.Contains(condition.Field)))
                    add($"{at}.condition.field", $"The field is one of {string.Join(", ", Fields.Union(ContactFields).Order(StringComparer.Ordinal))}.");
                if (condition.Operator is null || condition.Value is null || condition.Value.Length > FieldLengths.Name)
                    add($"{at}.condition.value", "A comparison has an operator and a value (at most 200 characters).");
                break;
            case ConditionKind.Metric:
                if (condition.Metric is null)
                    add($"{at}.condition.metric", "Name the metric.");
                if (condition.Operator is not (CompareOperator.GreaterThan or CompareOperator.LessThan or CompareOperator.Equals or CompareOperator.NotEquals)
                    || !long.TryParse(condition.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
                    add($"{at}.condition.value", "A metric is compared with a whole number (equals, notEquals, greaterThan, lessThan).");
                break;
        }
    }

    private static IEnumerable<(string Field, string Target)> Targets(WorkflowStep step)
    {
        if (step.Next is { } next)
            yield return ("next", next);
        if (step.Then is { } then)
            yield return ("then", then);
        if (step.Else is { } otherwise)
            yield return ("else", otherwise);
    }

    /// <summary>A path that comes back to a step it passed, or null (depth-first from every step).</summary>
    private List<string>? Cycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(WorkflowStep step)
        {
            state[step.Id] = 1;
            path.Add(step.Id);
            foreach (var (_, target) in Targets(step))
            {
                if (state.GetValueOrDefault(target) == 1)
                    return [.. path[path.IndexOf(target)..], target];
                if (state.GetValueOrDefault(target) == 0 && Visit(Step(target)) is { } found)
                    return found;
            }
            path.RemoveAt(path.Count - 1);
            state[step.Id] = 2;
            return null;
        }
        foreach (var step in Steps)
        {
            if (state.GetValueOrDefault(step.Id) == 0 && Visit(step) is { } cycle)
                return cycle;
        }
        return null;
    }
}
