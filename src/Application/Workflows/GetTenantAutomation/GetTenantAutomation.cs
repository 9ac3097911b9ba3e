using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Workflows;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.GetTenantAutomation;

/// <summary>
/// One tenant's automation as a platform operator sees it to help troubleshoot: its workflows (without their webhook
/// secrets), its templates and its latest executions. Read-only, on the platform role; the read leaves an access
/// record the tenant's administrators list (<c>GET /api/platform-access</c>). An unknown tenant is a 404.
/// </summary>
public sealed record GetTenantAutomation(Guid TenantId, int Executions = 50) : IQuery<TenantAutomationDto>, IPlatformRequest;

public sealed record PlatformWorkflowDto(Guid Id, string Name, bool Enabled, int DefinitionVersion, WorkflowDefinition Definition, DateTimeOffset? UpdatedAt);

public sealed record PlatformTemplateDto(Guid Id, string Name, string Subject, string HtmlBody, string TextBody, DateTimeOffset? UpdatedAt);

public sealed record PlatformExecutionDto(
    Guid Id, Guid WorkflowId, int WorkflowVersion, Guid? LeadId, Guid? ContactId, ExecutionState State, string? CurrentStepId, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, string? Error);

public sealed record TenantAutomationDto(
    Guid TenantId, IReadOnlyList<PlatformWorkflowDto> Workflows, IReadOnlyList<PlatformTemplateDto> Templates, IReadOnlyList<PlatformExecutionDto> Executions);

/// <summary>The cross-tenant read behind <see cref="GetTenantAutomation"/>, on the platform role.</summary>
public interface IPlatformAutomationReads
{
    Task<TenantAutomationDto> ReadAsync(Guid tenantId, int executions, CancellationToken cancellationToken);
}

public sealed class GetTenantAutomationValidator : AbstractValidator<GetTenantAutomation>
{
    public GetTenantAutomationValidator() => RuleFor(x => x.Executions).InclusiveBetween(1, 500);
}

public sealed class GetTenantAutomationHandler(IPlatformReadStore platform, IPlatformAutomationReads automation)
    : IRequestHandler<GetTenantAutomation, TenantAutomationDto>
{
    public async Task<TenantAutomationDto> Handle(GetTenantAutomation request, CancellationToken cancellationToken)
    {
        if (!await platform.TenantExistsAsync(request.TenantId, cancellationToken))
            throw new NotFoundException("Tenant", request.TenantId);
        var result = await automation.ReadAsync(request.TenantId, request.Executions, cancellationToken);
        await platform.RecordAccessAsync([request.TenantId], "automation.read",
            $"{result.Workflows.Count} workflows, {result.Templates.Count} templates, {result.Executions.Count} executions", cancellationToken);
        return result;
    }
}
