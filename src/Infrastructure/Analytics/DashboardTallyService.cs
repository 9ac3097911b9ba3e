using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Jobs;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Analytics;

/// <summary>
/// Folds the dashboard's tallies (docs/decisions/0025): every few seconds, each tenant that has delta rows gets them
/// replaced by one row per key, so a dashboard sums a few hundred rows however many writes came before it. The
/// platform role finds the tenants with unfolded rows; each tenant's are folded by a job of that tenant, under
/// row-level security like a request. Each table's fold is one statement: a reader sees the deltas or their sum,
/// never both, and deltas written while it runs (not in its snapshot) stay for the next pass.
/// </summary>
public sealed class DashboardTallyService(
    DbContexts contexts, ITenantJobRunner jobs, IConfiguration configuration, TimeProvider clock, ILogger<DashboardTallyService> logger)
    : PeriodicService(clock, logger, "Folding the dashboard's tallies",
        TimeSpan.FromSeconds(configuration.GetValue(IntervalSetting, 10)))
{
    /// <summary>Seconds between passes; 0 turns the background passes off.</summary>
    public const string IntervalSetting = "Dashboard:TallyFoldSeconds";

    /// <summary>One pass: returns how many tenants were folded.</summary>
    public async Task<int> FoldAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenants;
        await using (var db = contexts.Platform())
        {
            tenants = await db.Database.SqlQuery<Guid>($"""
                SELECT tenant_id AS "Value" FROM customer_tallies WHERE NOT folded
                UNION SELECT tenant_id FROM lead_tallies WHERE NOT folded
                UNION SELECT tenant_id FROM activity_tallies WHERE NOT folded
                """).ToListAsync(cancellationToken);
        }
        foreach (var tenant in tenants)
        {
            await jobs.RunAsync(tenant, (services, token) => services.GetRequiredService<CrmDbContext>().Database.ExecuteSqlAsync($"""
                WITH moved AS (DELETE FROM customer_tallies WHERE tenant_id = {tenant} RETURNING company_id, status, source, customers, revenue_cents)
                INSERT INTO customer_tallies (tenant_id, company_id, status, source, customers, revenue_cents, folded)
                SELECT {tenant}, company_id, status, source, sum(customers), sum(revenue_cents), true FROM moved
                GROUP BY company_id, status, source HAVING sum(customers) <> 0 OR sum(revenue_cents) <> 0;
                WITH moved AS (DELETE FROM lead_tallies WHERE tenant_id = {tenant} RETURNING company_id, status, captured_on, furthest_stage, leads)
                INSERT INTO lead_tallies (tenant_id, company_id, status, captured_on, furthest_stage, leads, folded)
                SELECT {tenant}, company_id, status, captured_on, furthest_stage, sum(leads), true FROM moved
                GROUP BY company_id, status, captured_on, furthest_stage HAVING sum(leads) <> 0;
                WITH moved AS (DELETE FROM activity_tallies WHERE tenant_id = {tenant} RETURNING occurred_on, activities)
                INSERT INTO activity_tallies (tenant_id, occurred_on, activities, folded)
                SELECT {tenant}, occurred_on, sum(activities), true FROM moved GROUP BY occurred_on HAVING sum(activities) <> 0;
                """, token), cancellationToken);
        }
        return tenants.Count;
    }

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => FoldAsync(cancellationToken);
}
