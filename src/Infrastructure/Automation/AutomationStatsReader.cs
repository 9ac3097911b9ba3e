using CrmTenancy.Application.Workflows.GetAutomationStats;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// Two aggregate statements on the request's connection (row-level security binds it to the tenant, and each names the
/// tenant too): the lead flow of the range's captured leads, and each workflow's executions and emails. The emails are
/// those of send-email steps (to the lead), not the owner's notifications.
/// </summary>
public sealed class AutomationStatsReader(CrmDbContext db) : IAutomationStatsReader
{
    private sealed record FlowRow(int Captured, int Nurtured, int Converted, int Retained);

    private sealed record WorkflowRow(Guid WorkflowId, string Name, bool Enabled, int Running, int Completed, int Failed, int Cancelled, int EmailsSent, int EmailsOpened);

    public async Task<AutomationStatsDto> ReadAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var flow = await db.Database.SqlQueryRaw<FlowRow>(
            """
            SELECT count(*)::int AS "Captured",
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM automation_deliveries d
                                                  JOIN workflow_step_runs r ON r.tenant_id = d.tenant_id AND r.id = d.id AND r.kind = 'SendEmail'
                                                  WHERE d.tenant_id = l.tenant_id AND d.lead_id = l.id AND d.state = 'Sent'))::int AS "Nurtured",
                   count(*) FILTER (WHERE l.status = 'Converted')::int AS "Converted",
                   count(*) FILTER (WHERE l.status = 'Converted' AND EXISTS (SELECT 1 FROM customers c
                                                  WHERE c.tenant_id = l.tenant_id AND c.id = l.converted_customer_id AND c.status = 'Active'))::int AS "Retained"
            FROM leads l
            WHERE l.tenant_id = {0} AND l.captured_at >= {1} AND l.captured_at < {2}
            """, tenantId, from, to).SingleAsync(cancellationToken);
        var workflows = await db.Database.SqlQueryRaw<WorkflowRow>(
            """
            SELECT w.id AS "WorkflowId", w.name AS "Name", w.enabled AS "Enabled",
                   coalesce(e.running, 0) AS "Running", coalesce(e.completed, 0) AS "Completed",
                   coalesce(e.failed, 0) AS "Failed", coalesce(e.cancelled, 0) AS "Cancelled",
                   coalesce(m.sent, 0) AS "EmailsSent", coalesce(m.opened, 0) AS "EmailsOpened"
            FROM workflows w
            LEFT JOIN (SELECT workflow_id,
                              count(*) FILTER (WHERE state = 'Running')::int AS running,
                              count(*) FILTER (WHERE state = 'Completed')::int AS completed,
                              count(*) FILTER (WHERE state = 'Failed')::int AS failed,
                              count(*) FILTER (WHERE state = 'Cancelled')::int AS cancelled
                       FROM workflow_executions WHERE tenant_id = {0} GROUP BY workflow_id) e ON e.workflow_id = w.id
            LEFT JOIN (SELECT x.workflow_id,
                              count(*) FILTER (WHERE d.state = 'Sent')::int AS sent,
                              count(*) FILTER (WHERE d.opened_at IS NOT NULL)::int AS opened
                       FROM automation_deliveries d
                       JOIN workflow_executions x ON x.tenant_id = d.tenant_id AND x.id = d.execution_id
                       JOIN workflow_step_runs r ON r.tenant_id = d.tenant_id AND r.id = d.id AND r.kind = 'SendEmail'
                       WHERE d.tenant_id = {0} GROUP BY x.workflow_id) m ON m.workflow_id = w.id
            WHERE w.tenant_id = {0}
            ORDER BY w.name, w.id
            """, tenantId).ToListAsync(cancellationToken);
        return new AutomationStatsDto(from, to, new LeadFlowDto(flow.Captured, flow.Nurtured, flow.Converted, flow.Retained),
            [.. workflows.Select(w => new WorkflowStatsDto(w.WorkflowId, w.Name, w.Enabled, w.Running, w.Completed, w.Failed, w.Cancelled, w.EmailsSent, w.EmailsOpened))]);
    }
}
