using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>
/// Stages integration events as outbox rows in the unit of work's transaction, in the order they were raised. Their
/// numbers in the tenant's commit order are given by the database at COMMIT (the <c>outbox_number</c> deferred
/// trigger of the Outbox migration, docs/decisions/0017), not here: taking them here would hold the tenant's lock
/// across the client's round trips and serialise every writer of a tenant behind them.
/// </summary>
public sealed class OutboxWriter(CrmDbContext db, TimeProvider clock)
{
    /// <summary>The tenant row's counter, which the trigger moves (a shadow property: not domain state).</summary>
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
