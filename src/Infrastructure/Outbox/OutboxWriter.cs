using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>
/// Stages integration events as outbox rows in the unit of work's transaction, in the order they were raised. No
/// number is taken here: numbering at write time would need a lock per tenant held until the commit, and would
/// serialise every writer of a tenant behind it. The dispatcher orders by commit instead (docs/decisions/0017).
/// </summary>
public sealed class OutboxWriter(CrmDbContext db, TimeProvider clock)
{
    /// <summary>The tenant row's counter of delivered messages, which the dispatcher moves (a shadow property: not domain state).</summary>
    public const string SequenceProperty = "OutboxSequence";

    public void Stage(IReadOnlyList<IIntegrationEvent> events)
    {
        var now = clock.GetUtcNow();
        var position = 0;
        foreach (var integrationEvent in events)
        {
            db.OutboxMessages.Add(OutboxMessage.Create(integrationEvent.TenantId, ++position, IntegrationEventTypes.NameOf(integrationEvent),
                IntegrationEventTypes.Serialize(integrationEvent), now));
        }
    }
}
