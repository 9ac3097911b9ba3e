using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.SwitchWorkflow;

/// <summary>Turns a workflow on or off; off starts no new execution, and running ones finish (or are cancelled one by one).</summary>
public sealed record SwitchWorkflow(Guid Id, bool On, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class SwitchWorkflowHandler(IRepository<Workflow> workflows, ITenantContext tenant) : IRequestHandler<SwitchWorkflow, Unit>
{
    public async Task<Unit> Handle(SwitchWorkflow request, CancellationToken cancellationToken)
    {
        var workflow = await workflows.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        if (request.On)
        {
            workflow.TurnOn();
            await workflow.EnsureNoLoopAsync(workflows, tenant, cancellationToken);
        }
        else
            workflow.TurnOff();
        return Unit.Value;
    }
}
