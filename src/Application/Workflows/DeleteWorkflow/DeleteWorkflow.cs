using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.DeleteWorkflow;

/// <summary>Deletes a workflow that is off and has no running execution (409 otherwise), with its versions and history.</summary>
public sealed record DeleteWorkflow(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class DeleteWorkflowHandler(IRepository<Workflow> workflows, IReadRepository<WorkflowExecution> executions, ITenantContext tenant)
    : IRequestHandler<DeleteWorkflow, Unit>
{
    public async Task<Unit> Handle(DeleteWorkflow request, CancellationToken cancellationToken)
    {
        var workflow = await workflows.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        if (workflow.Enabled)
            throw WorkflowConflicts.StillOn.ToException();
        if (await executions.AnyAsync(new RunningExecutionsSpecification(tenant, workflow.Id), cancellationToken))
            throw WorkflowConflicts.StillRunning.ToException();
        workflows.Remove(workflow);
        return Unit.Value;
    }
}
