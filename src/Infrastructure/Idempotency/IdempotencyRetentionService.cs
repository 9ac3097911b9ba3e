using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Idempotency;

/// <summary>
/// Deletes idempotency records past their expiry, every hour. The platform role may read only the tenant and the
/// expiry of these rows (a column grant): it learns which tenants have expired records, and each tenant's are deleted
/// by a job of that tenant, under row-level security like a request.
/// </summary>
public sealed class IdempotencyRetentionService(DbContexts contexts, ITenantJobRunner jobs, TimeProvider clock, ILogger<IdempotencyRetentionService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Deleting expired idempotency records failed; the next pass tries again");
            }
        }
    }

    /// <summary>One pass: returns how many records were deleted.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
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
