using CrmTenancy.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Outbox;

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ConfigureTenantRow();
        builder.Property(m => m.Type).HasMaxLength(OutboxMessage.TypeMaxLength).IsRequired();
        builder.Property(m => m.Payload).HasColumnType("jsonb").IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.ErrorMaxLength);
        // The tenant's order; also the index the dispatcher reads pending messages by.
        builder.HasIndex(m => new { m.TenantId, m.Sequence }).IsUnique();
        builder.HasIndex(m => m.TenantId).HasFilter("processed_at IS NULL AND dead_at IS NULL").HasDatabaseName("ix_outbox_messages_pending");
    }
}

public sealed class OutboxDeliveryConfiguration : IEntityTypeConfiguration<OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<OutboxDelivery> builder)
    {
        builder.ConfigureTenantRow();
        builder.HasOne<OutboxMessage>().WithMany().HasForeignKey(d => new { d.TenantId, d.MessageId })
            .HasPrincipalKey(m => new { m.TenantId, m.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Consumer).HasMaxLength(OutboxDelivery.ConsumerMaxLength).IsRequired();
        // What makes a consumer idempotent: one delivery per message and consumer.
        builder.HasIndex(d => new { d.TenantId, d.MessageId, d.Consumer }).IsUnique();
    }
}
