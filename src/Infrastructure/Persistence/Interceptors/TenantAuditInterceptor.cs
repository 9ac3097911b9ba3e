using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmTenancy.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Before every save: refuses any added, modified or deleted tenant-owned entity whose tenant is not the
/// context's (the write-side lock), stamps the audit fields from <see cref="TimeProvider"/> and the caller, and
/// brings the values written to the precision the columns store (<see cref="StoredPrecision"/>), so a saved entity
/// holds exactly what the database does.
/// </summary>
public sealed class TenantAuditInterceptor(ITenantContext tenant, ICurrentUser user, TimeProvider clock) : SaveChangesInterceptor
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

    private void Apply(DbContext? context)
    {
        if (context is null)
            return;
        var now = clock.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
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

/// <summary>
/// PostgreSQL keeps timestamps to the microsecond and numerics to their column's scale; .NET keeps 100 ns ticks and a
/// decimal's own scale. Values about to be written are brought to the stored precision on the entity itself, so an
/// answer made from the saved entity (<see cref="ICommittedResources"/>) is the one a read would give.
/// </summary>
public static class StoredPrecision
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static void Apply(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry)
    {
        foreach (var property in entry.Properties)
        {
            switch (property.CurrentValue)
            {
                case DateTimeOffset at when at.Ticks % TicksPerMicrosecond != 0:
                    property.CurrentValue = at.AddTicks(-(at.Ticks % TicksPerMicrosecond));
                    break;
                case DateTime at when at.Ticks % TicksPerMicrosecond != 0:
                    property.CurrentValue = at.AddTicks(-(at.Ticks % TicksPerMicrosecond));
                    break;
                case decimal amount when property.Metadata.GetScale() is { } scale && amount.Scale != scale:
                    // Equal decimals of another scale (0 and 0.00) are no change to EF: set the member itself.
                    Write(property, AtScale(amount, scale));
                    break;
            }
        }
    }

    private static void Write(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry property, object value)
    {
        if (property.Metadata.FieldInfo is { } field)
            field.SetValue(property.EntityEntry.Entity, value);
        else if (property.Metadata.PropertyInfo is { CanWrite: true } member)
            member.SetValue(property.EntityEntry.Entity, value);
        else
            property.CurrentValue = value;
    }

    /// <summary>Rounded to <paramref name="scale"/> digits and written with exactly that many (0 as 0.00).</summary>
    private static decimal AtScale(decimal amount, int scale) =>
        Math.Round(amount, scale, MidpointRounding.ToEven) + new decimal(0, 0, 0, false, (byte)scale);
}

/// <summary>A write of a tenant-owned row that is not the current tenant's: a defect, never an expected outcome.</summary>
public sealed class CrossTenantWriteException(string entity)
    : InvalidOperationException($"Refused to write a {entity} of another tenant than the current one.");
