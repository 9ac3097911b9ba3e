using CrmTenancy.Domain.Common;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>
/// One integration event, written in the transaction of the change that raised it. The dispatcher delivers a tenant's
/// messages in the order their transactions committed (PostgreSQL's commit timestamps), then by
/// <see cref="Position"/> within a transaction, and numbers them as it delivers (<see cref="Sequence"/>).
/// </summary>
public sealed class OutboxMessage : ITenantOwned
{
    public const int TypeMaxLength = 200;
    public const int ErrorMaxLength = 2000;

    private OutboxMessage() { Type = null!; Payload = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    /// <summary>The message's number in its tenant's delivery order (commit order), given at its first delivery.</summary>
    public long? Sequence { get; private set; }
    /// <summary>The message's place among those its unit of work wrote (1, 2, ...).</summary>
    public int Position { get; private set; }
    public string Type { get; private set; }
    public string Payload { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>
    /// When its transaction committed, kept by the dispatcher the first time it changes the row: an update gives the
    /// row a new transaction id, whose commit timestamp would no longer be the message's.
    /// </summary>
    public DateTimeOffset? CommittedAt { get; private set; }
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
