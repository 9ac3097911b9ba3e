using CrmTenancy.Application.Workflows.GetTenantAutomation;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// Operators' read of one tenant's automation, on the platform role: the Tenant filter is ignored by name (this path has
/// no tenant) and PostgreSQL's platform_read policies let the rows through; the role cannot change them.
/// </summary>
public sealed class PlatformAutomationReads(DbContexts contexts) : IPlatformAutomationReads
{
    private static readonly string[] TenantFilter = [CrmDbContext.TenantFilter];

    public async Task<TenantAutomationDto> ReadAsync(Guid tenantId, int executions, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        var workflows = await db.Set<Workflow>().IgnoreQueryFilters(TenantFilter).AsNoTracking().Where(w => w.TenantId == tenantId)
            .OrderBy(w => w.Name).ThenBy(w => w.Id)
            .Select(w => new PlatformWorkflowDto(w.Id, w.Name, w.Enabled, w.DefinitionVersion, w.Definition, w.UpdatedAt))
            .ToListAsync(cancellationToken);
        var templates = await db.Set<EmailTemplate>().IgnoreQueryFilters(TenantFilter).AsNoTracking().Where(t => t.TenantId == tenantId)
            .OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new PlatformTemplateDto(t.Id, t.Name, t.Subject, t.HtmlBody, t.TextBody, t.UpdatedAt))
            .ToListAsync(cancellationToken);
        var latest = await db.Set<WorkflowExecution>().IgnoreQueryFilters(TenantFilter).AsNoTracking().Where(e => e.TenantId == tenantId)
            .OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id).Take(executions)
            .Select(e => new PlatformExecutionDto(e.Id, e.WorkflowId, e.WorkflowVersion, e.LeadId, e.ContactId, e.State, e.CurrentStepId, e.StartedAt, e.FinishedAt, e.Error))
            .ToListAsync(cancellationToken);
        return new TenantAutomationDto(tenantId, workflows, templates, latest);
    }
}
