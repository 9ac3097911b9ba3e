using CrmTenancy.Domain.Common;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>
/// One integration event, written in the transaction of the change that raised it. <see cref="Sequence"/> is the
/// tenant's commit order: a deferred trigger numbers the transaction's messages (in <see cref="Position"/> order) from
/// the tenant row's counter at COMMIT, so the row lock that orders the tenant's transactions is held only for the
/// commit itself. A row is visible to anyone else only once committed, and so only once numbered.
/// </summary>
public sealed class OutboxMessage : ITenantOwned
{
    public const int TypeMaxLength = 200;
    public const int ErrorMaxLength = 2000;

    private OutboxMessage() { Type = null!; Payload = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    /// <summary>The tenant's commit order; set at COMMIT by the database (null only inside the writing transaction).</summary>
    public long? Sequence { get; private set; }
    /// <summary>The message's place among those its unit of work wrote (1, 2, ...).</summary>
    public int Position { get; private set; }
    public string Type { get; private set; }
    public string Payload { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Set when the message failed too often: it is kept for an operator and no longer blocks the tenant's queue.</summary>
    public DateTimeOffset? DeadAt { get; private set; }

    public static OutboxMessage Create(Guid tenantId, int position, string type, string payload, DateTimeOffset occurredAt) =>
        new()
        {
            Id = Guid.CreateVersion7(occurredAt),
            TenantId = tenantId,
            Position = position,
            Type = type,
            Payload = payload,
            OccurredAt = occurredAt,
        };
}

/// <summary>The record that one consumer handled one message, committed with the consumer's own changes.</summary>
public sealed class OutboxDelivery : ITenantOwned
{
    public const int ConsumerMaxLength = 300;

    private OutboxDelivery() { Consumer = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid MessageId { get; private set; }
    public string Consumer { get; private set; }
    public DateTimeOffset DeliveredAt { get; private set; }

    public static OutboxDelivery Create(Guid tenantId, Guid messageId, string consumer, DateTimeOffset at) =>
        new() { Id = Guid.CreateVersion7(at), TenantId = tenantId, MessageId = messageId, Consumer = consumer, DeliveredAt = at };
}
