using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Users;
using CrmTenancy.Domain.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Workflows;

/// <summary>A step that cannot succeed however often it runs (a deleted template, a move the lead's status forbids).</summary>
public sealed class PermanentStepFailure(string message) : Exception(message);

/// <summary>Saved definitions never change, so each is read once per workflow version and process.</summary>
public sealed class WorkflowDefinitions
{
    private readonly ConcurrentDictionary<(Guid Workflow, int Version), WorkflowDefinition> _definitions = new();

    public async Task<WorkflowDefinition> GetAsync(IReadRepository<WorkflowVersion> versions, ITenantContext tenant, Guid workflowId, int version, CancellationToken cancellationToken)
    {
        if (_definitions.TryGetValue((workflowId, version), out var known))
            return known;
        var row = await versions.FirstOrDefaultAsync(new WorkflowVersionSpecification(tenant, workflowId, version), cancellationToken)
            ?? throw new PermanentStepFailure($"Version {version} of the workflow no longer exists.");
        return _definitions[(workflowId, version)] = row.Definition;
    }
}

/// <summary>
/// Runs one due step of an execution, as the execution's tenant, acting as "workflow": its change to the lead, the
/// delivery it writes (an email or a webhook call, sent later with the step run's id as idempotency key) and the next
/// step's run are staged on the scope's repositories, and the runner commits them with the step's completion in one
/// transaction. A condition waiting for an open stays due until the open arrives or its window closes.
/// </summary>
public sealed class WorkflowSteps(
    IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs, IReadRepository<WorkflowVersion> versions,
    IRepository<Lead> leads, IReadRepository<EmailTemplate> templates, IRepository<AutomationDelivery> deliveries,
    IReadRepository<EmailSuppression> suppressions, IReadRepository<Domain.Workflows.AutomationSettings> settings, IReadRepository<User> users,
    IReadRepository<Workflow> workflows, Recipients recipients, ITemplateEngine engine, WorkflowDefinitions definitions, ITenantContext tenant,
    TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<Guid, WorkflowExecution> _executions = [];
    private readonly Dictionary<Guid, Lead> _leads = [];

    /// <summary>
    /// Runs a claimed batch: its executions and their leads are read (and locked) in two statements, not two per step,
    /// then each step runs in order.
    /// </summary>
    public async Task RunAllAsync(IReadOnlyList<WorkflowStepRun> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 1)
        {
            foreach (var execution in await executions.ListAsync(new ExecutionsByIdsSpecification(tenant, [.. batch.Select(r => r.ExecutionId).Distinct()]), cancellationToken))
                _executions[execution.Id] = execution;
            foreach (var lead in await leads.ListAsync(new LeadsByIdsSpecification(tenant, [.. _executions.Values.Select(e => e.LeadId).Distinct()]), cancellationToken))
                _leads[lead.Id] = lead;
        }
        foreach (var run in batch)
            await RunAsync(run, cancellationToken);
    }

    public async Task RunAsync(WorkflowStepRun run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var execution = _executions.GetValueOrDefault(run.ExecutionId)
            ?? await executions.FirstOrDefaultAsync(new ByIdSpecification<WorkflowExecution>(tenant, run.ExecutionId), cancellationToken)
            ?? throw new PermanentStepFailure("The execution no longer exists.");
        if (execution.State != ExecutionState.Running)
        {
            run.Cancel(now);
            return;
        }
        var definition = await definitions.GetAsync(versions, tenant, execution.WorkflowId, execution.WorkflowVersion, cancellationToken);
        var step = definition.Step(run.StepId);
        var lead = _leads.GetValueOrDefault(execution.LeadId)
            ?? await leads.FirstOrDefaultAsync(new ByIdSpecification<Lead>(tenant, execution.LeadId), cancellationToken)
            ?? throw new PermanentStepFailure("The lead no longer exists.");

        var outcome = step.Kind switch
        {
            StepKind.Wait => new Outcome($"Waited; the next step is due in {step.Minutes} minutes.", step.Next, now.AddMinutes(step.Minutes!.Value)),
            StepKind.SendEmail => await SendEmailAsync(run, step, lead, now, cancellationToken),
            StepKind.Condition => await ConditionAsync(run, step, lead, now, cancellationToken),
            StepKind.AddTag or StepKind.RemoveTag => await TagAsync(run, step, lead, now, cancellationToken),
            StepKind.ChangeLeadStatus => ChangeStatus(step, lead),
            StepKind.NotifyOwner => await NotifyOwnerAsync(run, execution, step, lead, now, cancellationToken),
            StepKind.Webhook => Webhook(run, execution, step, lead, now),
            StepKind.Stop => new Outcome("Stopped.", null, now),
            _ => throw new PermanentStepFailure($"Unknown step kind {step.Kind}."),
        };
        if (outcome.RecheckAt is { } recheck)
        {
            run.Recheck(recheck, outcome.WaitingFor);
            return;
        }
        run.Complete(outcome.Result, now);
        if (outcome.Next is { } next)
            runs.Add(execution.Schedule(definition.Step(next), outcome.NextDue, now));
        else
            execution.Complete(now);
    }

    /// <summary>What a step did, and what comes next (none: the execution is complete), or when to look again.</summary>
    private sealed record Outcome(string Result, string? Next, DateTimeOffset NextDue, DateTimeOffset? RecheckAt = null, Guid WaitingFor = default);

    private async Task<Outcome> SendEmailAsync(WorkflowStepRun run, WorkflowStep step, Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var template = await templates.FirstOrDefaultAsync(new ReadByIdSpecification<EmailTemplate>(tenant, step.TemplateId!.Value), cancellationToken)
            ?? throw new PermanentStepFailure("The email template no longer exists.");
        if (lead.Email is not { } email)
            return new Outcome("Skipped: the lead has no email address.", step.Next, now);
        if (await suppressions.AnyAsync(new SuppressedSpecification(tenant, email), cancellationToken))
            return new Outcome("Skipped: the address unsubscribed.", step.Next, now);
        var recipient = new Recipient(lead.Id, null, email, lead.FirstName, lead.LastName, lead.CompanyName, lead.OwnerId);
        var rendered = engine.Render(template.Subject, template.HtmlBody, template.TextBody, await recipients.MergeValuesAsync(recipient, cancellationToken));
        var channel = await ChannelAsync(cancellationToken);
        deliveries.Add(AutomationDelivery.Email(run, lead.Id, channel, email, rendered.Subject, rendered.TextBody, rendered.HtmlBody, now));
        return new Outcome($"Email '{template.Name}' queued to {email} ({channel}).", step.Next, now);
    }

    private async Task<Outcome> ConditionAsync(WorkflowStepRun run, WorkflowStep step, Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var condition = step.Condition!;
        bool holds;
        switch (condition.Kind)
        {
            case ConditionKind.EmailOpened or ConditionKind.EmailClicked:
            {
                var sent = (await runs.ListAsync(new StepRunsOfExecutionSpecification(tenant, run.ExecutionId), cancellationToken))
                    .LastOrDefault(r => r.StepId == condition.EmailStep && r.State == StepRunState.Completed);
                var delivery = sent is null ? null
                    : await deliveries.FirstOrDefaultAsync(new DeliverySpecification(tenant, sent.Id), cancellationToken);
                var at = condition.Kind == ConditionKind.EmailOpened ? delivery?.OpenedAt : delivery?.ClickedAt;
                if (at is null && delivery is not null && now < delivery.CreatedAt.AddHours(condition.WithinHours!.Value))
                    return new Outcome("", null, now, RecheckAt: delivery.CreatedAt.AddHours(condition.WithinHours!.Value), WaitingFor: delivery.Id);
                holds = at is not null && delivery is not null && at <= delivery.CreatedAt.AddHours(condition.WithinHours!.Value);
                break;
            }
            case ConditionKind.HasTag:
                holds = lead.Tags.Contains(CustomerTags.Normalise(condition.Tag!));
                break;
            case ConditionKind.Field:
                holds = Compare(FieldOf(lead, condition.Field!), condition.Operator!.Value, condition.Value!);
                break;
            case ConditionKind.Metric:
                holds = Compare((await MetricAsync(condition.Metric!.Value, now, cancellationToken)).ToString(CultureInfo.InvariantCulture), condition.Operator!.Value, condition.Value!);
                break;
            default:
                throw new PermanentStepFailure($"Unknown condition {condition.Kind}.");
        }
        return new Outcome(holds ? "The condition holds: then." : "The condition does not hold: else.", holds ? step.Then : step.Else, now);
    }

    private Task<int> MetricAsync(WorkflowMetric metric, DateTimeOffset now, CancellationToken cancellationToken) => metric switch
    {
        WorkflowMetric.LeadsCapturedThisMonth => leads.CountAsync(new LeadsSinceSpecification(tenant, new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero)), cancellationToken),
        WorkflowMetric.OpenLeads => leads.CountAsync(new OpenLeadsSpecification(tenant), cancellationToken),
        _ => throw new PermanentStepFailure($"Unknown metric {metric}."),
    };

    private static string? FieldOf(Lead lead, string field) => field switch
    {
        "status" => lead.Status.ToString(),
        "source" => lead.Source.ToString(),
        "email" => lead.Email,
        "firstName" => lead.FirstName,
        "lastName" => lead.LastName,
        "companyName" => lead.CompanyName,
        "interest" => lead.Interest,
        _ => throw new PermanentStepFailure($"Unknown field {field}."),
    };

    /// <summary>Text compared case-insensitively; greater and less than compare numbers when both sides are numbers.</summary>
    internal static bool Compare(string? actual, CompareOperator op, string expected)
    {
        var text = actual ?? "";
        var numbers = decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var left)
                      & decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var right);
        return op switch
        {
            CompareOperator.Equals => string.Equals(text, expected, StringComparison.OrdinalIgnoreCase),
            CompareOperator.NotEquals => !string.Equals(text, expected, StringComparison.OrdinalIgnoreCase),
            CompareOperator.Contains => text.Contains(expected, StringComparison.OrdinalIgnoreCase),
            CompareOperator.GreaterThan => numbers ? left > right : string.Compare(text, expected, StringComparison.OrdinalIgnoreCase) > 0,
            CompareOperator.LessThan => numbers ? left < right : string.Compare(text, expected, StringComparison.OrdinalIgnoreCase) < 0,
            _ => false,
        };
    }

    /// <summary>The lead's tag; on the external platform too when the tenant sends through it (a delivery, like an email).</summary>
    private async Task<Outcome> TagAsync(WorkflowStepRun run, WorkflowStep step, Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tag = CustomerTags.Normalise(step.Tag!);
        var adding = step.Kind == StepKind.AddTag;
        if (adding)
            lead.AddTags([tag]);
        else
            lead.RemoveTag(tag);
        if (lead.Email is { } email && await ChannelAsync(cancellationToken) == EmailChannel.Platform)
            deliveries.Add(AutomationDelivery.PlatformTagChange(run, lead.Id, email, tag, adding, now));
        return new Outcome(adding ? $"Tagged {tag}." : $"Tag {tag} removed.", step.Next, now);
    }

    private async Task<EmailChannel> ChannelAsync(CancellationToken cancellationToken) =>
        (await settings.FirstOrDefaultAsync(new Workflows.AutomationSettings.AutomationSettingsSpecification(tenant), cancellationToken))?.EmailChannel ?? EmailChannel.Own;

    private Outcome ChangeStatus(WorkflowStep step, Lead lead)
    {
        if (lead.Status == step.Status)
            return new Outcome($"Already {lead.Status}.", step.Next, clock.GetUtcNow());
        try
        {
            lead.MoveTo(step.Status!.Value);
        }
        catch (DomainRuleException e)
        {
            throw new PermanentStepFailure(e.Message);
        }
        return new Outcome($"Moved to {lead.Status}.", step.Next, clock.GetUtcNow());
    }

    private async Task<Outcome> NotifyOwnerAsync(WorkflowStepRun run, WorkflowExecution execution, WorkflowStep step, Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owner = lead.OwnerId is { } ownerId ? await users.FirstOrDefaultAsync(new ReadByIdSpecification<User>(tenant, ownerId), cancellationToken) : null;
        if (owner is null || owner.DeactivatedAt is not null)
            return new Outcome("Skipped: the lead has no active owner.", step.Next, now);
        var workflow = await workflows.FirstOrDefaultAsync(new ReadByIdSpecification<Workflow>(tenant, execution.WorkflowId), cancellationToken);
        var text = $"{step.Message}\n\nLead: {lead.FirstName} {lead.LastName}{(lead.Email is null ? "" : $" <{lead.Email}>")}\nWorkflow: {workflow?.Name}";
        deliveries.Add(AutomationDelivery.Email(run, lead.Id, EmailChannel.Own, owner.Email, $"[{workflow?.Name}] {lead.FirstName} {lead.LastName}", text,
            $"<p>{System.Net.WebUtility.HtmlEncode(step.Message)}</p>", now));
        return new Outcome($"Owner {owner.Email} notified.", step.Next, now);
    }

    private Outcome Webhook(WorkflowStepRun run, WorkflowExecution execution, WorkflowStep step, Lead lead, DateTimeOffset now)
    {
        var body = JsonSerializer.Serialize(new
        {
            type = "workflow.step",
            id = run.Id,
            workflowId = execution.WorkflowId,
            workflowVersion = execution.WorkflowVersion,
            executionId = execution.Id,
            stepId = step.Id,
            occurredAt = now,
            lead = new { id = lead.Id, lead.FirstName, lead.LastName, lead.Email, status = lead.Status.ToString(), lead.Tags },
        }, Json);
        deliveries.Add(AutomationDelivery.Webhook(run, lead.Id, step.Url!, body, now));
        return new Outcome($"Webhook to {new Uri(step.Url!).Host} queued.", step.Next, now);
    }
}

/// <summary>The executions of a claimed batch, locked for the batch's change, in id order (two runners lock in one order).</summary>
public sealed class ExecutionsByIdsSpecification : TenantSpecification<WorkflowExecution>, ILocksForChange
{
    public ExecutionsByIdsSpecification(ITenantContext tenant, Guid[] ids) : base(tenant) => Query.Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id);
}

/// <summary>The leads of a claimed batch, locked for the batch's change, in id order.</summary>
public sealed class LeadsByIdsSpecification : TenantSpecification<Lead>, ILocksForChange
{
    public LeadsByIdsSpecification(ITenantContext tenant, Guid[] ids) : base(tenant) => Query.Where(l => ids.Contains(l.Id)).OrderBy(l => l.Id);
}

public sealed class SuppressedSpecification : TenantSpecification<EmailSuppression>
{
    public SuppressedSpecification(ITenantContext tenant, string email) : base(tenant)
    {
        var normalized = EmailAddress.Normalize(email);
        Query.Where(s => s.NormalizedEmail == normalized);
    }
}

public sealed class DeliverySpecification : TenantSpecification<AutomationDelivery>
{
    public DeliverySpecification(ITenantContext tenant, Guid id) : base(tenant) => Query.Where(d => d.Id == id);
}

public sealed class LeadsSinceSpecification : TenantSpecification<Lead>
{
    public LeadsSinceSpecification(ITenantContext tenant, DateTimeOffset since) : base(tenant) => Query.Where(l => l.CapturedAt >= since);
}

public sealed class OpenLeadsSpecification : TenantSpecification<Lead>
{
    public OpenLeadsSpecification(ITenantContext tenant) : base(tenant) =>
        Query.Where(l => l.Status == LeadStatus.New || l.Status == LeadStatus.Nurturing || l.Status == LeadStatus.Engaged || l.Status == LeadStatus.Qualified);
}

/// <summary>Whether an enabled workflow's current version sends a template (its deletion is then refused).</summary>
public sealed class WorkflowTemplateUsage(IReadRepository<Workflow> workflows, ITenantContext tenant) : IEmailTemplateUsage
{
    public Task<bool> IsInUseAsync(Guid templateId, CancellationToken cancellationToken) =>
        workflows.AnyAsync(new EnabledWorkflowsSendingSpecification(tenant, templateId), cancellationToken);
}

public sealed class EnabledWorkflowsSendingSpecification : TenantSpecification<Workflow>
{
    public EnabledWorkflowsSendingSpecification(ITenantContext tenant, Guid templateId) : base(tenant) =>
        Query.Where(w => w.Enabled && w.TemplateIds.Contains(templateId));
}

public sealed class WorkflowServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<WorkflowDefinitions>();
        services.AddScoped<WorkflowSteps>();
        services.AddScoped<IEmailTemplateUsage, WorkflowTemplateUsage>();
    }
}
