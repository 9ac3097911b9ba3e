using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Jobs;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Idempotency;

/// <summary>
/// Deletes idempotency records past their expiry, every hour. The platform role may read only the tenant and the
/// expiry of these rows (a column grant): it learns which tenants have expired records, and each tenant's are deleted
/// by a job of that tenant, under row-level security like a request.
/// </summary>
public sealed class IdempotencyRetentionService(DbContexts contexts, ITenantJobRunner jobs, TimeProvider clock, ILogger<IdempotencyRetentionService> logger)
    : HourlyRetentionService(clock, logger, "idempotency records")
{
    /// <summary>One pass: returns how many records were deleted.</summary>
    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        List<Guid> tenants;
        await using (var db = contexts.Platform())
        {
            tenants = await db.Set<IdempotencyRecord>().IgnoreQueryFilters([CrmDbContext.TenantFilter])
                .Where(r => r.ExpiresAt <= now).Select(r => r.TenantId).Distinct().ToListAsync(cancellationToken);
        }
        var deleted = 0;
        foreach (var tenant in tenants)
        {
            deleted += await jobs.RunAsync(tenant, (services, token) => services.GetRequiredService<CrmDbContext>().Database.ExecuteSqlAsync(
                $"DELETE FROM idempotency_records WHERE tenant_id = {tenant} AND expires_at <= {now}", token), cancellationToken);
        }
        return deleted;
    }
}
