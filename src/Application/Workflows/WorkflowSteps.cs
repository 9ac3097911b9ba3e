using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Plans;
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
/// Runs one due step of an execution, as the execution's tenant, acting as "workflow": its change to the lead (or to
/// the contact's customer, whose tags a contact carries), the
/// delivery it writes (an email or a webhook call, sent later with the step run's id as idempotency key) and the next
/// step's run are staged on the scope's repositories, and the runner commits them with the step's completion in one
/// transaction. A condition waiting for an open stays due until the open arrives or its window closes.
/// </summary>
public sealed class WorkflowSteps(
    IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs, IReadRepository<WorkflowVersion> versions,
    IRepository<Lead> leads, IReadRepository<Contact> contacts, IRepository<Customer> customers, IReadRepository<EmailTemplate> templates, IRepository<AutomationDelivery> deliveries,
    IReadRepository<EmailSuppression> suppressions, IReadRepository<Domain.Workflows.AutomationSettings> settings, IReadRepository<User> users,
    IReadRepository<Workflow> workflows, Recipients recipients, ITemplateEngine engine, WorkflowDefinitions definitions, ITenantContext tenant,
    IPlanUsage usage, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<Guid, WorkflowExecution> _executions = [];
    private readonly Dictionary<Guid, Lead> _leads = [];
    private readonly Dictionary<Guid, Contact> _contacts = [];
    private readonly Dictionary<Guid, Customer> _customers = [];

    /// <summary>
    /// Runs a claimed batch: its executions and their leads (contacts and their customers) are read, and locked where a
    /// step changes them, in a few statements, not two per step; then each step runs in order.
    /// </summary>
    public async Task RunAllAsync(IReadOnlyList<WorkflowStepRun> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 1)
        {
            foreach (var execution in await executions.ListAsync(new ExecutionsByIdsSpecification(tenant, [.. batch.Select(r => r.ExecutionId).Distinct()]), cancellationToken))
                _executions[execution.Id] = execution;
            Guid[] leadIds = [.. _executions.Values.Where(e => e.LeadId is not null).Select(e => e.LeadId!.Value).Distinct()];
            if (leadIds.Length > 0)
            {
                foreach (var lead in await leads.ListAsync(new LeadsByIdsSpecification(tenant, leadIds), cancellationToken))
                    _leads[lead.Id] = lead;
            }
            Guid[] contactIds = [.. _executions.Values.Where(e => e.ContactId is not null).Select(e => e.ContactId!.Value).Distinct()];
            if (contactIds.Length > 0)
            {
                foreach (var contact in await contacts.ListAsync(new ContactsByIdsSpecification(tenant, contactIds), cancellationToken))
                    _contacts[contact.Id] = contact;
                Guid[] customerIds = [.. _contacts.Values.Where(c => c.CustomerId is not null).Select(c => c.CustomerId!.Value).Distinct()];
                foreach (var customer in customerIds.Length == 0 ? [] : await customers.ListAsync(new CustomersByIdsSpecification(tenant, customerIds), cancellationToken))
                    _customers[customer.Id] = customer;
            }
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
        var person = await PersonAsync(execution, cancellationToken);

        var outcome = step.Kind switch
        {
            StepKind.Wait => new Outcome($"Waited; the next step is due in {step.Minutes} minutes.", step.Next, now.AddMinutes(step.Minutes!.Value)),
            StepKind.SendEmail => await SendEmailAsync(run, step, person, now, cancellationToken),
            StepKind.Condition => await ConditionAsync(run, step, person, now, cancellationToken),
            StepKind.AddTag or StepKind.RemoveTag => await TagAsync(run, step, person, now, cancellationToken),
            StepKind.ChangeLeadStatus => ChangeStatus(step, person),
            StepKind.NotifyOwner => await NotifyOwnerAsync(run, execution, step, person, now, cancellationToken),
            StepKind.Webhook => Webhook(run, execution, step, person, now),
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

    private async Task<Person> PersonAsync(WorkflowExecution execution, CancellationToken cancellationToken)
    {
        if (execution.LeadId is { } leadId)
        {
            return new Person(_leads.GetValueOrDefault(leadId)
                ?? await leads.FirstOrDefaultAsync(new ByIdSpecification<Lead>(tenant, leadId), cancellationToken)
                ?? throw new PermanentStepFailure("The lead no longer exists."), null, null);
        }
        var contactId = execution.ContactId!.Value;
        var contact = _contacts.GetValueOrDefault(contactId)
            ?? await contacts.FirstOrDefaultAsync(new ContactsByIdsSpecification(tenant, [contactId]), cancellationToken)
            ?? throw new PermanentStepFailure("The contact no longer exists.");
        var customer = contact.CustomerId is not { } customerId ? null
            : _customers.GetValueOrDefault(customerId) ?? await customers.FirstOrDefaultAsync(new CustomersByIdsSpecification(tenant, [customerId]), cancellationToken);
        return new Person(null, contact, customer);
    }

    /// <summary>
    /// Whom a step acts on: a lead, or a contact with the customer whose tags it carries (and whose owner it falls
    /// back to).
    /// </summary>
    private sealed record Person(Lead? Lead, Contact? Contact, Customer? Customer)
    {
        public Guid Id => Lead?.Id ?? Contact!.Id;
        public string Kind => Lead is null ? "Contact" : "Lead";
        public string? Email => Lead is { } lead ? lead.Email : Contact!.Email;
        public string FirstName => Lead is { } lead ? lead.FirstName : Contact!.FirstName;
        public string LastName => Lead is { } lead ? lead.LastName : Contact!.LastName;
        public string? Company => Lead is { } lead ? lead.CompanyName : Contact!.Company ?? Customer?.CompanyName ?? Customer?.Name;
        public Guid? OwnerId => Lead is { } lead ? lead.OwnerId : Contact!.OwnerId ?? Customer?.OwnerId;
        public IReadOnlyCollection<string> Tags => Lead is { } lead ? lead.Tags : Customer?.Tags ?? [];
        public Recipient Recipient => new(Lead?.Id, Contact?.Id, Email, FirstName, LastName, Company, OwnerId);
    }

    /// <summary>What a step did, and what comes next (none: the execution is complete), or when to look again.</summary>
    private sealed record Outcome(string Result, string? Next, DateTimeOffset NextDue, DateTimeOffset? RecheckAt = null, Guid WaitingFor = default);

    private async Task<Outcome> SendEmailAsync(WorkflowStepRun run, WorkflowStep step, Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var template = await templates.FirstOrDefaultAsync(new ReadByIdSpecification<EmailTemplate>(tenant, step.TemplateId!.Value), cancellationToken)
            ?? throw new PermanentStepFailure("The email template no longer exists.");
        if (person.Email is not { } email)
            return new Outcome($"Skipped: the {person.Kind.ToLowerInvariant()} has no email address.", step.Next, now);
        if (await suppressions.AnyAsync(new SuppressedSpecification(tenant, email), cancellationToken))
            return new Outcome("Skipped: the address unsubscribed.", step.Next, now);
        var rendered = engine.Render(template.Subject, template.HtmlBody, template.TextBody, await recipients.MergeValuesAsync(person.Recipient, cancellationToken));
        // The plan's emails per month, taken under the counter's lock: a step past the limit fails and sends nothing.
        if (!await usage.TryUseThisMonthAsync(PlanResources.EmailsPerMonth, 1, cancellationToken))
            throw new PermanentStepFailure($"The plan's {PlanResources.Describe(PlanResources.EmailsPerMonth)} are used up; the email was not sent.");
        var channel = await ChannelAsync(cancellationToken);
        deliveries.Add(AutomationDelivery.Email(run, person.Lead?.Id, channel, email, rendered.Subject, rendered.TextBody, rendered.HtmlBody, now));
        return new Outcome($"Email '{template.Name}' queued to {email} ({channel}).", step.Next, now);
    }

    private async Task<Outcome> ConditionAsync(WorkflowStepRun run, WorkflowStep step, Person person, DateTimeOffset now, CancellationToken cancellationToken)
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
                holds = person.Tags.Contains(CustomerTags.Normalise(condition.Tag!));
                break;
            case ConditionKind.Field:
                holds = Compare(FieldOf(person, condition.Field!), condition.Operator!.Value, condition.Value!);
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

    private static string? FieldOf(Person person, string field) => person.Lead is { } lead ? FieldOf(lead, field) : field switch
    {
        "email" => person.Email,
        "firstName" => person.FirstName,
        "lastName" => person.LastName,
        "companyName" => person.Company,
        "title" => person.Contact!.Title,
        "type" => person.Contact!.Type.ToString(),
        _ => throw new PermanentStepFailure($"Unknown field {field}."),
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

    /// <summary>
    /// The lead's tag, or the contact's customer's; on the external platform too when the tenant sends through it (a
    /// delivery, like an email).
    /// </summary>
    private async Task<Outcome> TagAsync(WorkflowStepRun run, WorkflowStep step, Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tag = CustomerTags.Normalise(step.Tag!);
        var adding = step.Kind == StepKind.AddTag;
        if (person is { Lead: null, Customer: null })
            return new Outcome("Skipped: the contact belongs to no customer, which carries its tags.", step.Next, now);
        switch (adding)
        {
            case true when person.Lead is { } taggedLead:
                taggedLead.AddTags([tag]);
                break;
            case true:
                person.Customer!.AddTags([tag]);
                break;
            case false when person.Lead is { } untaggedLead:
                untaggedLead.RemoveTag(tag);
                break;
            case false:
                person.Customer!.RemoveTag(tag);
                break;
        }
        if (person.Email is { } email && await ChannelAsync(cancellationToken) == EmailChannel.Platform)
            deliveries.Add(AutomationDelivery.PlatformTagChange(run, person.Lead?.Id, email, tag, adding, now));
        return new Outcome(adding ? $"Tagged {tag}." : $"Tag {tag} removed.", step.Next, now);
    }

    private async Task<EmailChannel> ChannelAsync(CancellationToken cancellationToken) =>
        (await settings.FirstOrDefaultAsync(new Workflows.AutomationSettings.AutomationSettingsSpecification(tenant), cancellationToken))?.EmailChannel ?? EmailChannel.Own;

    private Outcome ChangeStatus(WorkflowStep step, Person person)
    {
        var lead = person.Lead ?? throw new PermanentStepFailure("A contact has no lead status.");
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

    private async Task<Outcome> NotifyOwnerAsync(WorkflowStepRun run, WorkflowExecution execution, WorkflowStep step, Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owner = person.OwnerId is { } ownerId ? await users.FirstOrDefaultAsync(new ReadByIdSpecification<User>(tenant, ownerId), cancellationToken) : null;
        if (owner is null || owner.DeactivatedAt is not null)
            return new Outcome($"Skipped: the {person.Kind.ToLowerInvariant()} has no active owner.", step.Next, now);
        var workflow = await workflows.FirstOrDefaultAsync(new ReadByIdSpecification<Workflow>(tenant, execution.WorkflowId), cancellationToken);
        var text = $"{step.Message}\n\n{person.Kind}: {person.FirstName} {person.LastName}{(person.Email is null ? "" : $" <{person.Email}>")}\nWorkflow: {workflow?.Name}";
        deliveries.Add(AutomationDelivery.Email(run, person.Lead?.Id, EmailChannel.Own, owner.Email, $"[{workflow?.Name}] {person.FirstName} {person.LastName}", text,
            $"<p>{System.Net.WebUtility.HtmlEncode(step.Message)}</p>", now));
        return new Outcome($"Owner {owner.Email} notified.", step.Next, now);
    }

    private Outcome Webhook(WorkflowStepRun run, WorkflowExecution execution, WorkflowStep step, Person person, DateTimeOffset now)
    {
        var body = person.Lead is { } subject
            ? JsonSerializer.Serialize(new
            {
                type = "workflow.step",
                id = run.Id,
                workflowId = execution.WorkflowId,
                workflowVersion = execution.WorkflowVersion,
                executionId = execution.Id,
                stepId = step.Id,
                occurredAt = now,
                lead = new { id = subject.Id, subject.FirstName, subject.LastName, subject.Email, status = subject.Status.ToString(), subject.Tags },
            }, Json)
            : JsonSerializer.Serialize(new
            {
                type = "workflow.step",
                id = run.Id,
                workflowId = execution.WorkflowId,
                workflowVersion = execution.WorkflowVersion,
                executionId = execution.Id,
                stepId = step.Id,
                occurredAt = now,
                contact = new { id = person.Id, person.FirstName, person.LastName, person.Email, customerId = person.Contact!.CustomerId, person.Tags },
            }, Json);
        deliveries.Add(AutomationDelivery.Webhook(run, person.Lead?.Id, step.Url!, body, now));
        return new Outcome($"Webhook to {new Uri(step.Url!).Host} queued.", step.Next, now);
    }
}

/// <summary>The executions of a claimed batch, locked for the batch's change, in id order (two runners lock in one order).</summary>
public sealed class ExecutionsByIdsSpecification : TenantSpecification<WorkflowExecution>, ILocksForChange
{
    public ExecutionsByIdsSpecification(ITenantContext tenant, Guid[] ids) : base(tenant) => Query.Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id);
}

/// <summary>The contacts of a claimed batch (read, not changed: a tag step changes the contact's customer).</summary>
public sealed class ContactsByIdsSpecification : TenantSpecification<Contact>
{
    public ContactsByIdsSpecification(ITenantContext tenant, Guid[] ids) : base(tenant) => Query.Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).AsNoTracking();
}

/// <summary>The customers of a claimed batch's contacts, locked for the batch's tag changes, in id order.</summary>
public sealed class CustomersByIdsSpecification : TenantSpecification<Customer>, ILocksForChange
{
    public CustomersByIdsSpecification(ITenantContext tenant, Guid[] ids) : base(tenant) => Query.Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id);
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
