using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Workflows;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Workflows;

public sealed class WorkflowDto : IProjection<Workflow, WorkflowDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public bool Enabled { get; init; }
    /// <summary>The number of the current definition; executions started earlier finish on theirs.</summary>
    public int DefinitionVersion { get; init; }
    public WorkflowDefinition Definition { get; init; } = null!;
    /// <summary>The key its webhook calls are signed with (HMAC-SHA256), for the receiver to check them.</summary>
    public string WebhookSecret { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public int Version { get; init; }

    static IQueryable<WorkflowDto> IProjection<Workflow, WorkflowDto>.ProjectFrom(IQueryable<Workflow> source) => WorkflowMapper.ProjectToDto(source);
}

public sealed class ExecutionDto : IProjection<WorkflowExecution, ExecutionDto>, IVersioned
{
    public Guid Id { get; init; }
    public Guid WorkflowId { get; init; }
    public int WorkflowVersion { get; init; }
    public Guid? LeadId { get; init; }
    public Guid? ContactId { get; init; }
    public Guid TriggerEventId { get; init; }
    public ExecutionState State { get; init; }
    public string? CurrentStepId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public int Version { get; init; }

    static IQueryable<ExecutionDto> IProjection<WorkflowExecution, ExecutionDto>.ProjectFrom(IQueryable<WorkflowExecution> source) =>
        WorkflowMapper.ProjectToDto(source);
}

public sealed record StepRunDto : IProjection<WorkflowStepRun, StepRunDto>
{
    public Guid Id { get; init; }
    public string StepId { get; init; } = "";
    public int Sequence { get; init; }
    public StepKind Kind { get; init; }
    public StepRunState State { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public int Attempts { get; init; }
    public string? Result { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    static IQueryable<StepRunDto> IProjection<WorkflowStepRun, StepRunDto>.ProjectFrom(IQueryable<WorkflowStepRun> source) =>
        WorkflowMapper.ProjectToDto(source);
}

/// <summary>An execution with its steps in the order they became due.</summary>
public sealed record ExecutionDetails(ExecutionDto Execution, IReadOnlyList<StepRunDto> Steps) : IVersioned
{
    public int Version => Execution.Version;
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class WorkflowMapper
{
    public static partial IQueryable<WorkflowDto> ProjectToDto(IQueryable<Workflow> source);

    public static partial IQueryable<ExecutionDto> ProjectToDto(IQueryable<WorkflowExecution> source);

    public static partial IQueryable<StepRunDto> ProjectToDto(IQueryable<WorkflowStepRun> source);
}

/// <summary>A workflow as the API takes it, for create and replace.</summary>
public abstract record WorkflowInput
{
    public string Name { get; init; } = "";
    public bool Enabled { get; init; }
    public WorkflowTrigger Trigger { get; init; } = null!;
    public IReadOnlyList<WorkflowStep> Steps { get; init; } = null!;

    public WorkflowDefinition ToDefinition() => new(Trigger, Steps);
}

public static class WorkflowConflicts
{
    public static readonly Conflict NameTaken = new("workflow-name-taken", "Another workflow of this tenant already has this name.");
    public static readonly Conflict StillOn = new("workflow-on", "Turn the workflow off before deleting it.");
    public static readonly Conflict StillRunning = new("workflow-running", "The workflow still has running executions; let them finish or cancel them.");
    public static readonly Conflict DuplicateExecution = new("workflow-execution-exists", "This trigger event already started this workflow for this person.");
    public static readonly Conflict Loop = new("workflow-loop",
        "These enabled workflows would start each other without end (each one's step fires the next one's trigger, and the change is undone on the way round):");
}

/// <summary>The tenant's enabled workflows, read to find loops between them.</summary>
public sealed class EnabledWorkflowsSpecification : TenantSpecification<Workflow>
{
    public EnabledWorkflowsSpecification(ITenantContext tenant) : base(tenant) => Query.Where(w => w.Enabled).AsNoTracking();
}

/// <summary>The tenant's enabled workflows that a trigger starts.</summary>
public sealed class TriggeredWorkflowsSpecification : TenantSpecification<Workflow>
{
    public TriggeredWorkflowsSpecification(ITenantContext tenant, TriggerKind kind, IReadOnlyCollection<string>? tags = null, Domain.Leads.LeadStatus? status = null)
        : base(tenant)
    {
        Query.Where(w => w.Enabled && w.TriggerKind == kind);
        if (tags is not null)
        {
            var names = tags.ToArray();
            Query.Where(w => w.TriggerTag != null && names.Contains(w.TriggerTag));
        }
        if (status is not null)
            Query.Where(w => w.TriggerStatus == status);
        Query.AsNoTracking();
    }
}

/// <summary>A customer's contacts, whom its tag starts a contact workflow for.</summary>
public sealed class ContactsOfTaggedCustomerSpecification : TenantSpecification<Domain.Contacts.Contact>
{
    public ContactsOfTaggedCustomerSpecification(ITenantContext tenant, Guid customerId) : base(tenant) =>
        Query.Where(c => c.CustomerId == customerId).OrderBy(c => c.Id).AsNoTracking();
}

public sealed class WorkflowVersionSpecification : TenantSpecification<WorkflowVersion>
{
    public WorkflowVersionSpecification(ITenantContext tenant, Guid workflowId, int number) : base(tenant) =>
        Query.Where(v => v.WorkflowId == workflowId && v.Number == number).AsNoTracking();
}

public sealed class StepRunsOfExecutionSpecification : TenantSpecification<WorkflowStepRun>
{
    public StepRunsOfExecutionSpecification(ITenantContext tenant, Guid executionId, bool forChange = false) : base(tenant)
    {
        Query.Where(r => r.ExecutionId == executionId).OrderBy(r => r.Sequence);
        if (!forChange)
            Query.AsNoTracking();
    }
}

public sealed class RunningExecutionsSpecification : TenantSpecification<WorkflowExecution>
{
    public RunningExecutionsSpecification(ITenantContext tenant, Guid workflowId) : base(tenant) =>
        Query.Where(e => e.WorkflowId == workflowId && e.State == ExecutionState.Running);
}
