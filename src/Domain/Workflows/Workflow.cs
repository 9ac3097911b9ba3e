using System.Security.Cryptography;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Workflows;

/// <summary>
/// An automation of the tenant: a trigger and steps (<see cref="WorkflowDefinition"/>), on or off. Every change of the
/// definition is a new <see cref="WorkflowVersion"/>; executions run on the version they started with. Turning it off
/// starts no new execution; running ones finish. Its webhook steps sign their bodies with <see cref="WebhookSecret"/>.
/// </summary>
public sealed class Workflow : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = FieldLengths.Name;

    private Workflow() { Name = null!; NormalizedName = null!; Definition = null!; WebhookSecret = null!; TemplateIds = []; }

    public Guid TenantId { get; private set; }
    public string Name { get; private set; }
    public string NormalizedName { get; private set; }
    public bool Enabled { get; private set; }
    /// <summary>The number of the current <see cref="WorkflowVersion"/>.</summary>
    public int DefinitionVersion { get; private set; }
    public WorkflowDefinition Definition { get; private set; }
    /// <summary>The trigger, as columns the trigger's lookup filters on.</summary>
    public TriggerKind TriggerKind { get; private set; }
    public string? TriggerTag { get; private set; }
    public Leads.LeadStatus? TriggerStatus { get; private set; }
    /// <summary>The templates the current version sends (a template in use is not deleted).</summary>
    public Guid[] TemplateIds { get; private set; }
    public string WebhookSecret { get; private set; }

    public static (Workflow Workflow, WorkflowVersion Version) Create(Guid tenantId, string name, WorkflowDefinition definition, bool enabled)
    {
        var workflow = new Workflow
        {
            TenantId = Guard.Tenant(tenantId),
            Enabled = enabled,
            WebhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        return (workflow, workflow.Change(name, definition));
    }

    /// <summary>A new name and definition: the next version.</summary>
    public WorkflowVersion Change(string name, WorkflowDefinition definition)
    {
        if (definition.Problems() is [var (field, message), ..])
            throw new DomainRuleException("workflow-definition-invalid", $"{field}: {message}");
        Name = Guard.Required(name, NameMaxLength, "name");
        NormalizedName = NameKey.Of(Name);
        Definition = definition;
        TriggerKind = definition.Trigger.Kind;
        TriggerTag = definition.Trigger.Tag is { } tag ? Customers.CustomerTags.Normalise(tag) : null;
        TriggerStatus = definition.Trigger.Status;
        TemplateIds = [.. definition.TemplateIds];
        DefinitionVersion++;
        return new WorkflowVersion(TenantId, Id, DefinitionVersion, definition);
    }

    public void TurnOn() => Enabled = true;

    public void TurnOff() => Enabled = false;
}

/// <summary>One saved definition of a workflow, never changed: what its executions run.</summary>
public sealed class WorkflowVersion : ITenantOwned
{
    private WorkflowVersion() { Definition = null!; }

    public WorkflowVersion(Guid tenantId, Guid workflowId, int number, WorkflowDefinition definition)
    {
        TenantId = tenantId;
        WorkflowId = workflowId;
        Number = number;
        Definition = definition;
    }

    public Guid TenantId { get; private set; }
    public Guid WorkflowId { get; private set; }
    public int Number { get; private set; }
    public WorkflowDefinition Definition { get; private set; }
}
