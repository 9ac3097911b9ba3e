using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmTenancy.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Before every save: refuses any added, modified or deleted tenant-owned entity whose tenant is not the
/// context's (the write-side lock), stamps the audit fields from <see cref="TimeProvider"/> and the context's caller, and
/// brings the values written to the precision the columns store (<see cref="StoredPrecision"/>), so a saved entity
/// holds exactly what the database does.
/// </summary>
public sealed class TenantAuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Apply(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Apply(DbContext? dbContext)
    {
        if (dbContext is not CrmDbContext context)
            return;
        var tenant = context.Tenant;
        var user = context.Actor;
        var now = clock.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            // OpenIddict's authorizations and tokens take the request's tenant (none for a platform scope); row-level
            // security checks it again.
            if (entry.State == EntityState.Added && entry.Entity is Identity.Server.ITenantStamped stamped)
                stamped.TenantId = tenant.IsResolved ? tenant.TenantId : null;
            if (entry.Entity is ITenantOwned owned && (!tenant.IsResolved || owned.TenantId != tenant.TenantId))
                throw new CrossTenantWriteException(entry.Metadata.ClrType.Name);
            if (entry.Entity is IAuditable auditable)
            {
                if (entry.State == EntityState.Added)
                    auditable.StampCreated(now, user.Actor);
                else if (entry.State == EntityState.Modified)
                    auditable.StampUpdated(now, user.Actor);
            }
            if (entry.State != EntityState.Deleted)
                StoredPrecision.Apply(entry);
        }
    }
}

/// <summary>A write of a tenant-owned row that is not the current tenant's: a defect, never an expected outcome.</summary>
public sealed class CrossTenantWriteException(string entity)
    : InvalidOperationException($"Refused to write a {entity} of another tenant than the current one.");
