using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>
/// Stages integration events as outbox rows in the unit of work's transaction. Each tenant's rows are numbered from
/// its tenant row's counter, moved by one UPDATE that locks that row until the transaction ends: a second
/// transaction of the same tenant waits for the first to commit before it takes its numbers, so the numbers are the
/// tenant's commit order (gaps where a transaction rolled back). It is the last statement before the save, so the
/// lock is held for the commit only.
/// </summary>
public sealed class OutboxWriter(CrmDbContext db, TimeProvider clock)
{
    public const string SequenceProperty = "OutboxSequence";

    public async Task StageAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        var now = clock.GetUtcNow();
        foreach (var group in events.GroupBy(e => e.TenantId))
        {
            var count = group.Count();
            var last = await ReserveAsync(group.Key, count, cancellationToken);
            var sequence = last - count;
            foreach (var integrationEvent in group)
            {
                db.OutboxMessages.Add(OutboxMessage.Create(group.Key, ++sequence, IntegrationEventTypes.NameOf(integrationEvent),
                    IntegrationEventTypes.Serialize(integrationEvent), now));
            }
        }
    }

    /// <summary>Moves the tenant's counter by <paramref name="count"/> and returns its new value.</summary>
    private async Task<long> ReserveAsync(Guid tenantId, int count, CancellationToken cancellationToken)
    {
        // A tenant created in this unit of work (sign-up) has no row to lock yet: it starts its own count.
        var added = db.ChangeTracker.Entries<Tenant>().FirstOrDefault(e => e.State == EntityState.Added && e.Entity.Id == tenantId);
        if (added is not null)
        {
            var property = added.Property<long>(SequenceProperty);
            property.CurrentValue += count;
            return property.CurrentValue;
        }
        var reserved = await db.Database
            .SqlQuery<long>($"UPDATE tenants SET outbox_sequence = outbox_sequence + {count} WHERE id = {tenantId} RETURNING outbox_sequence AS \"Value\"")
            .ToListAsync(cancellationToken);
        return reserved.Count == 1
            ? reserved[0]
            : throw new InvalidOperationException($"The tenant {tenantId} of an integration event is not visible to this unit of work.");
    }
}
