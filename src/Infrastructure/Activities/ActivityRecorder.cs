using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Activities;

/// <summary>
/// Writes the activity timeline from the domain events the unit of work drains, into the same save and transaction as
/// the change: an entry exists exactly when its change committed. An aggregate being created in the unit of work gets
/// its one "created" entry (the steps of its making are not entries of their own). When a record's owner, assignee or
/// sharing changes, its earlier entries follow, so that record visibility applies to them as to the record.
/// </summary>
public sealed class ActivityRecorder(CrmDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(AggregateRoot aggregate, IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        if (aggregate is not IActivitySubject subject || aggregate is not ITenantOwned owned)
            return;
        var entry = db.Entry(aggregate);
        var creating = entry.State == EntityState.Added;
        var actor = db.Actor.Actor ?? SystemActor.Instance.Actor!;
        var recordType = Activity.RecordTypeOf(aggregate.GetType());
        var now = clock.GetUtcNow();
        foreach (var activityEvent in events.OfType<IActivityEvent>())
        {
            if (activityEvent.Describe(subject.ActivityTitle) is not { } description || (creating && description.Action != ActivityActions.Created))
                continue;
            db.Add(Activity.Record(owned.TenantId, actor, recordType, aggregate.Id, description, aggregate as IOwnedRecord, now));
        }

        if (!creating && aggregate is IOwnedRecord record && entry.State == EntityState.Modified
            && (entry.Property(nameof(IOwnedRecord.OwnerId)).IsModified || entry.Property(nameof(IOwnedRecord.AssigneeId)).IsModified
                || entry.Property(nameof(IOwnedRecord.Shared)).IsModified))
        {
            var id = aggregate.Id;
            // Every entry of the record, whoever may see it now: the caller may see the record, not each entry.
            await db.Set<Activity>().IgnoreQueryFilters([CrmDbContext.OwnerFilter])
                .Where(a => a.TenantId == owned.TenantId && a.RecordId == id)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.OwnerId, record.OwnerId).SetProperty(a => a.AssigneeId, record.AssigneeId)
                    .SetProperty(a => a.Shared, record.Shared), cancellationToken);
        }
    }
}
