using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Workflows;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.UpdateWorkflow;

/// <summary>
/// Replaces the workflow's name, on/off and definition (a PUT): a new definition version; executions already running
/// finish on the version they started with.
/// </summary>
public sealed record UpdateWorkflow : WorkflowInput, ICommand<Unit>, IConditionalCommand, IReplacement, ITenantAdminRequest
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateWorkflowValidator : AbstractValidator<UpdateWorkflow>
{
    public UpdateWorkflowValidator() => this.ApplyWorkflowInputRules();
}

public sealed class UpdateWorkflowHandler(
    IRepository<Workflow> workflows, IRepository<WorkflowVersion> versions, IReadRepository<EmailTemplate> templates, ITenantContext tenant)
    : IRequestHandler<UpdateWorkflow, Unit>
{
    public async Task<Unit> Handle(UpdateWorkflow request, CancellationToken cancellationToken)
    {
        var workflow = await workflows.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var definition = request.ToDefinition();
        await definition.EnsureTemplatesAsync(templates, tenant, cancellationToken);
        if (!WorkflowRules.SameDefinition(definition, workflow.Definition) || request.Name != workflow.Name)
            versions.Add(workflow.Change(request.Name, definition));
        if (request.Enabled)
            workflow.TurnOn();
        else
            workflow.TurnOff();
        await workflow.EnsureNoLoopAsync(workflows, tenant, cancellationToken);
        return Unit.Value;
    }
}
