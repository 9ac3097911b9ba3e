using CrmTenancy.Domain.Common;

namespace CrmTenancy.Application.Common.Events;

/// <summary>Where an integration event came from: its outbox message, its place in the tenant's order, when it happened.</summary>
public sealed record IntegrationEventContext(Guid MessageId, long Sequence, DateTimeOffset OccurredAt);

/// <summary>
/// Reacts to an integration event after the change that raised it committed. The outbox dispatcher calls it in a
/// fresh scope of the event's tenant (as the job runner's tenant, never a request's), inside a transaction that also
/// records the delivery: the consumer stages its changes on the scope's repositories and does not save; its changes
/// and the record of the delivery commit together, so a redelivery after a crash finds the record and skips it.
/// Work outside the database (mail, webhooks) is at least once: make it idempotent on <see cref="IntegrationEventContext.MessageId"/>.
/// Implementations in the Application and Infrastructure assemblies are registered by scanning.
/// </summary>
public interface IIntegrationEventConsumer<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
}
