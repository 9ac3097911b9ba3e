using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Workflows;

public enum ExecutionState
{
    Running,
    Completed,
    Failed,
    Cancelled,
}

public enum StepRunState
{
    Pending,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>
/// One run of a workflow version for one person, a lead or (for a contact trigger) a contact, started by one trigger
/// event (never two for the same event: the database's unique keys on workflow, person and event). Its steps are <see cref="WorkflowStepRun"/> rows, due one after
/// another; the runner claims due ones.
/// </summary>
public sealed class WorkflowExecution : AggregateRoot, ITenantOwned
{
    public const int ErrorMaxLength = 2000;

    private WorkflowExecution() { }

    public Guid TenantId { get; private set; }
    public Guid WorkflowId { get; private set; }
    public int WorkflowVersion { get; private set; }
    /// <summary>The lead it runs for; null when it runs for a contact.</summary>
    public Guid? LeadId { get; private set; }
    /// <summary>The contact it runs for (a workflow with a contact trigger); null when it runs for a lead.</summary>
    public Guid? ContactId { get; private set; }
    public Guid PersonId => LeadId ?? ContactId!.Value;
    public Guid TriggerEventId { get; private set; }
    public ExecutionState State { get; private set; }
    public string? CurrentStepId { get; private set; }
    /// <summary>How many step runs the execution has had; each run is numbered by it, in order.</summary>
    public int StepCount { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    public static (WorkflowExecution Execution, WorkflowStepRun First) Start(
        Workflow workflow, Guid personId, Guid triggerEventId, DateTimeOffset now)
    {
        var forContacts = workflow.Definition.ForContacts;
        var execution = new WorkflowExecution
        {
            TenantId = workflow.TenantId,
            WorkflowId = workflow.Id,
            WorkflowVersion = workflow.DefinitionVersion,
            LeadId = forContacts ? null : personId,
            ContactId = forContacts ? personId : null,
            TriggerEventId = triggerEventId,
            State = ExecutionState.Running,
            StartedAt = now,
        };
        return (execution, execution.Schedule(workflow.Definition.First, now, now));
    }

    /// <summary>The run of <paramref name="step"/>, due at <paramref name="due"/> (made <paramref name="now"/>).</summary>
    public WorkflowStepRun Schedule(WorkflowStep step, DateTimeOffset due, DateTimeOffset now)
    {
        StatusRules.Require("execution-status", "workflow execution", State, ExecutionState.Running, ExecutionState.Running);
        CurrentStepId = step.Id;
        return WorkflowStepRun.Due(this, step, ++StepCount, due, now);
    }

    public void Complete(DateTimeOffset now) => Finish(ExecutionState.Completed, now, null);

    public void Fail(string error, DateTimeOffset now) => Finish(ExecutionState.Failed, now, error.Length > ErrorMaxLength ? error[..ErrorMaxLength] : error);

    public void Cancel(DateTimeOffset now)
    {
        StatusRules.Require("execution-status", "workflow execution", State, ExecutionState.Cancelled, ExecutionState.Running);
        Finish(ExecutionState.Cancelled, now, null);
    }

    /// <summary>A failed execution goes on from its failed step again (<see cref="WorkflowStepRun.Retry"/>).</summary>
    public void Resume(string stepId)
    {
        StatusRules.Require("execution-status", "workflow execution", State, ExecutionState.Running, ExecutionState.Failed);
        State = ExecutionState.Running;
        CurrentStepId = stepId;
        FinishedAt = null;
        Error = null;
    }

    private void Finish(ExecutionState state, DateTimeOffset now, string? error)
    {
        State = state;
        FinishedAt = now;
        Error = error;
    }
}

/// <summary>
/// One step of an execution: due at <see cref="DueAt"/>, claimed and run once by the runner (its effects and its
/// completion commit together), retried with backoff when it fails, and failed for good after <see cref="MaxAttempts"/>.
/// Its id is the idempotency key of what it sends.
/// </summary>
public sealed class WorkflowStepRun : ITenantOwned
{
    public const int MaxAttempts = 5;
    public const int ResultMaxLength = 500;

    private WorkflowStepRun() { StepId = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid ExecutionId { get; private set; }
    public string StepId { get; private set; }
    /// <summary>The run's place in its execution: 1, 2, 3 ...</summary>
    public int Sequence { get; private set; }
    public StepKind Kind { get; private set; }
    public StepRunState State { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public int Attempts { get; private set; }
    public string? Result { get; private set; }
    public string? Error { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>The email (delivery) a condition waits to see opened or clicked; its event makes the run due at once.</summary>
    public Guid? WaitingFor { get; private set; }

    internal static WorkflowStepRun Due(WorkflowExecution execution, WorkflowStep step, int sequence, DateTimeOffset due, DateTimeOffset now) => new()
    {
        Sequence = sequence,
        Id = Guid.CreateVersion7(),
        TenantId = execution.TenantId,
        ExecutionId = execution.Id,
        StepId = step.Id,
        Kind = step.Kind,
        State = StepRunState.Pending,
        DueAt = due,
        CreatedAt = now,
    };

    public void Complete(string result, DateTimeOffset now)
    {
        State = StepRunState.Completed;
        Attempts++;
        Result = result.Length > ResultMaxLength ? result[..ResultMaxLength] : result;
        Error = null;
        CompletedAt = now;
    }

    /// <summary>Looks again at <paramref name="at"/>, or when <paramref name="delivery"/> is opened or clicked, without counting an attempt.</summary>
    public void Recheck(DateTimeOffset at, Guid delivery)
    {
        DueAt = at;
        WaitingFor = delivery;
    }

    /// <summary>Counts a failed attempt: due again after 2^attempts seconds, or failed for good. True when it gives up.</summary>
    public bool FailAttempt(string error, DateTimeOffset now, bool permanent)
    {
        Attempts++;
        Error = error.Length > WorkflowExecution.ErrorMaxLength ? error[..WorkflowExecution.ErrorMaxLength] : error;
        if (permanent || Attempts >= MaxAttempts)
        {
            State = StepRunState.Failed;
            CompletedAt = now;
            return true;
        }
        DueAt = now.AddSeconds(Math.Pow(2, Attempts));
        return false;
    }

    public void Retry(DateTimeOffset now)
    {
        StatusRules.Require("step-run-status", "workflow step", State, StepRunState.Pending, StepRunState.Failed);
        State = StepRunState.Pending;
        Attempts = 0;
        DueAt = now;
        CompletedAt = null;
    }

    public void Cancel(DateTimeOffset now)
    {
        if (State != StepRunState.Pending)
            return;
        State = StepRunState.Cancelled;
        CompletedAt = now;
    }
}
