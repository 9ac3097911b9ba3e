using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Subject).HasMaxLength(Conversation.SubjectMaxLength);

        // The call: composite with the tenant. The contact and the lead are composite foreign keys made in the migration
        // (ON DELETE SET NULL (column), checked at commit): the person's erasure will redact the conversation, not lose it.
        builder.HasOne<Call>().WithMany().HasForeignKey(c => new { c.TenantId, c.CallId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.ContactId });
        builder.HasIndex(c => new { c.TenantId, c.LeadId });
        builder.HasIndex(c => new { c.TenantId, c.OwnerId });
        builder.HasIndex(c => c.TenantId, "ix_conversations_shared").HasFilter("shared");
    }
}

public sealed class ConversationMessageConfiguration : IEntityTypeConfiguration<ConversationMessage>
{
    public void Configure(EntityTypeBuilder<ConversationMessage> builder)
    {
        builder.ToTable("conversation_messages");
        builder.ConfigureTenantRow();

        builder.Property(m => m.Speaker).HasMaxLength(ConversationMessage.SpeakerMaxLength).IsRequired();
        builder.Property(m => m.Direction).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Text).HasMaxLength(ConversationMessage.TextMaxLength).IsRequired();
        builder.Property(m => m.Sentiment).HasConversion<string>().HasMaxLength(16);
        // Kept by the database (lower(text)); the trigram index (tenant_id, search_text gin_trgm_ops) is in the migration.
        builder.Property(m => m.SearchText).HasComputedColumnSql("lower(text)", stored: true);

        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => new { m.TenantId, m.ConversationId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.TenantId, m.ConversationId, m.Sequence }).IsUnique();
    }
}
