using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.CancelExecution;

/// <summary>
/// Stops a running execution: its pending step never runs (the runner marks it cancelled when it comes due; a step the
/// runner holds now finishes first). The runs are not touched here: the runner locks a run before its execution, and
/// this command would lock them the other way round.
/// </summary>
public sealed record CancelExecution(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class CancelExecutionHandler(IRepository<WorkflowExecution> executions, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<CancelExecution, Unit>
{
    public async Task<Unit> Handle(CancelExecution request, CancellationToken cancellationToken)
    {
        var execution = await executions.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        execution.Cancel(clock.GetUtcNow());
        return Unit.Value;
    }
}
