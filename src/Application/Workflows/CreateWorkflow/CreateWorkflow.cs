using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Workflows;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.CreateWorkflow;

/// <summary>A new workflow (version 1), on or off; its administrators define them.</summary>
public sealed record CreateWorkflow : WorkflowInput, ICommand<Guid>, ITenantAdminRequest;

public sealed class CreateWorkflowValidator : AbstractValidator<CreateWorkflow>
{
    public CreateWorkflowValidator() => this.ApplyWorkflowInputRules();
}

public sealed class CreateWorkflowHandler(
    IRepository<Workflow> workflows, IRepository<WorkflowVersion> versions, IReadRepository<EmailTemplate> templates, ITenantContext tenant)
    : IRequestHandler<CreateWorkflow, Guid>
{
    public async Task<Guid> Handle(CreateWorkflow request, CancellationToken cancellationToken)
    {
        var definition = request.ToDefinition();
        await definition.EnsureTemplatesAsync(templates, tenant, cancellationToken);
        var (workflow, version) = Workflow.Create(tenant.TenantId, request.Name, definition, request.Enabled);
        await workflow.EnsureNoLoopAsync(workflows, tenant, cancellationToken);
        workflows.Add(workflow);
        versions.Add(version);
        return workflow.Id;
    }
}
