using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.CancelExecution;

/// <summary>Stops a running execution: its pending step is cancelled and never runs (a step the runner holds finishes first).</summary>
public sealed record CancelExecution(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class CancelExecutionHandler(IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<CancelExecution, Unit>
{
    public async Task<Unit> Handle(CancelExecution request, CancellationToken cancellationToken)
    {
        var execution = await executions.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        execution.Cancel(now);
        foreach (var run in await runs.ListAsync(new StepRunsOfExecutionSpecification(tenant, execution.Id, forChange: true), cancellationToken))
            run.Cancel(now);
        return Unit.Value;
    }
}
