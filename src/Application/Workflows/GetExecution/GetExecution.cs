using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.GetExecution;

/// <summary>One execution and its steps: state, due time, attempts, result and error of each.</summary>
public sealed record GetExecution(Guid Id) : IQuery<ExecutionDetails>;

public sealed class GetExecutionHandler(IReadRepository<WorkflowExecution> executions, IReadRepository<WorkflowStepRun> runs, ITenantContext tenant)
    : IRequestHandler<GetExecution, ExecutionDetails>
{
    public async Task<ExecutionDetails> Handle(GetExecution request, CancellationToken cancellationToken)
    {
        var execution = await executions.GetDtoAsync<WorkflowExecution, ExecutionDto>(tenant, request.Id, cancellationToken);
        var steps = await runs.ProjectListAsync<StepRunDto>(new StepRunsOfExecutionSpecification(tenant, execution.Id), cancellationToken);
        return new ExecutionDetails(execution, steps);
    }
}
