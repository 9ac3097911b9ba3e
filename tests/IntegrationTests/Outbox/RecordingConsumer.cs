using System.Collections.Concurrent;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.IntegrationTests.Outbox;

/// <summary>What the test consumer saw: each delivery with the tenant its scope had. Failures can be asked for.</summary>
public sealed class DeliveryLog
{
    public sealed record Delivery(Guid MessageId, long Sequence, Guid CustomerId, Guid EventTenant, Guid ScopeTenant);

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    /// <summary>How many of the next calls throw, after they have staged their change.</summary>
    public int FailuresToCome { get; set; }

    public void Clear()
    {
        Deliveries.Clear();
        FailuresToCome = 0;
    }
}

/// <summary>
/// A consumer that stages a database change (a tag on the created customer) and records the delivery, so a test can
/// see both what was delivered and what was committed with it.
/// </summary>
public sealed class RecordingConsumer(DeliveryLog log, ITenantContext tenant, IRepository<Customer> customers)
    : IIntegrationEventConsumer<CustomerCreated>
{
    public const string Tag = "seen-by-consumer";

    public async Task HandleAsync(CustomerCreated integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        var customer = await customers.FirstOrDefaultAsync(
            new Application.Common.Specifications.ByIdSpecification<Customer>(tenant, integrationEvent.CustomerId), cancellationToken);
        customer?.AddTags([Tag]);
        // A tag is an integration event of its own (it may start a contact workflow); these tests count only the
        // events they make, so the consumer's change raises none.
        customer?.ClearDomainEvents();
        if (log.FailuresToCome > 0)
        {
            log.FailuresToCome--;
            throw new InvalidOperationException("The consumer failed on purpose.");
        }
        log.Deliveries.Enqueue(new(context.MessageId, context.Sequence, integrationEvent.CustomerId, integrationEvent.TenantId, tenant.TenantId));
    }
}

/// <summary>Records status changes too: the interleaving test needs an event whose change takes no plan counter's lock.</summary>
public sealed class RecordingStatusConsumer(DeliveryLog log, ITenantContext tenant) : IIntegrationEventConsumer<CustomerStatusChanged>
{
    public Task HandleAsync(CustomerStatusChanged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        log.Deliveries.Enqueue(new(context.MessageId, context.Sequence, integrationEvent.CustomerId, integrationEvent.TenantId, tenant.TenantId));
        return Task.CompletedTask;
    }
}
