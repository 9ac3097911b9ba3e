using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.GetExecution;

/// <summary>
/// One execution and its steps: state, due time, attempts, result and error of each. The pending step of a cancelled
/// execution reads as cancelled at once: it never runs, though the runner marks its row only when it comes due.
/// </summary>
public sealed record GetExecution(Guid Id) : IQuery<ExecutionDetails>;

public sealed class GetExecutionHandler(IReadRepository<WorkflowExecution> executions, IReadRepository<WorkflowStepRun> runs, ITenantContext tenant)
    : IRequestHandler<GetExecution, ExecutionDetails>
{
    public async Task<ExecutionDetails> Handle(GetExecution request, CancellationToken cancellationToken)
    {
        var execution = await executions.GetDtoAsync<WorkflowExecution, ExecutionDto>(tenant, request.Id, cancellationToken);
        var steps = await runs.ProjectListAsync<StepRunDto>(new StepRunsOfExecutionSpecification(tenant, execution.Id), cancellationToken);
        if (execution.State == ExecutionState.Cancelled)
            steps = [.. steps.Select(s => s.State == StepRunState.Pending ? s with { State = StepRunState.Cancelled, CompletedAt = execution.FinishedAt } : s)];
        return new ExecutionDetails(execution, steps);
    }
}
