using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.RetryExecution;

/// <summary>Runs a failed execution's failed step again (its attempts start over); the execution is running again.</summary>
public sealed record RetryExecution(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class RetryExecutionHandler(IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<RetryExecution, Unit>
{
    public async Task<Unit> Handle(RetryExecution request, CancellationToken cancellationToken)
    {
        var execution = await executions.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var failed = (await runs.ListAsync(new StepRunsOfExecutionSpecification(tenant, execution.Id, forChange: true), cancellationToken))
            .LastOrDefault(r => r.State == StepRunState.Failed);
        if (failed is null || execution.State != ExecutionState.Failed)
            throw new Domain.Common.DomainRuleException("execution-status", "Only a failed execution is retried.");
        execution.Resume(failed.StepId);
        failed.Retry(clock.GetUtcNow());
        return Unit.Value;
    }
}
