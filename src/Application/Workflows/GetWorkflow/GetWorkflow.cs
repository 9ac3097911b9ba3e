using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.GetWorkflow;

public sealed record GetWorkflow(Guid Id) : IGetById<Workflow, WorkflowDto>;

public sealed class GetWorkflowHandler(IReadRepository<Workflow> workflows, ITenantContext tenant) : IRequestHandler<GetWorkflow, WorkflowDto>
{
    public Task<WorkflowDto> Handle(GetWorkflow request, CancellationToken cancellationToken) =>
        workflows.GetDtoAsync<Workflow, WorkflowDto>(tenant, request.Id, cancellationToken);
}
