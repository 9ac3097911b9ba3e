using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// The active tenants with pending rows due by a time in one of the automation's queue tables (workflow steps,
/// deliveries), on the platform role, which learns tenant ids only. A suspended tenant's work waits (its data is kept;
/// nothing of it runs or goes out until it is reactivated). Each tenant's rows are then claimed by a job of that tenant.
/// </summary>
internal static class DueWork
{
    public const string Steps = "workflow_step_runs";
    public const string Deliveries = "automation_deliveries";

    private static readonly IReadOnlyDictionary<string, string> Queries = new[] { Steps, Deliveries }.ToDictionary(queue => queue, queue => $$"""
        SELECT t.id AS "Value" FROM tenants t
        WHERE t.status = 'Active' AND EXISTS (SELECT 1 FROM {{queue}} q WHERE q.tenant_id = t.id AND q.state = 'Pending' AND q.due_at <= {0})
        """);

    public static async Task<List<Guid>> TenantsAsync(DbContexts contexts, string queue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        return await db.Database.SqlQueryRaw<Guid>(Queries[queue], now).ToListAsync(cancellationToken);
    }
}
