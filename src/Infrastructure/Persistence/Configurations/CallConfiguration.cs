using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> builder)
    {
        builder.ToTable("calls");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.Direction).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Notes).HasMaxLength(Call.NotesMaxLength);
        builder.Property(c => c.RecordingUrl).HasMaxLength(Call.RecordingUrlMaxLength);
        builder.Ignore(c => c.IsOver);

        // The campaign: composite with the tenant; a campaign with calls is never deleted (only drafts are, and a draft
        // makes no calls). The contact, the lead and the target are composite foreign keys made in the migration: ON
        // DELETE SET NULL (column) keeps the call's history when the person or the target goes.
        builder.HasOne<Campaign>().WithMany().HasForeignKey(c => new { c.TenantId, c.CampaignId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.ScheduledAt, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.CampaignId, c.ScheduledAt });
        builder.HasIndex(c => new { c.TenantId, c.ContactId, c.ScheduledAt });
        builder.HasIndex(c => new { c.TenantId, c.LeadId, c.ScheduledAt });
        builder.HasIndex(c => new { c.TenantId, c.TargetId });
        builder.HasIndex(c => new { c.TenantId, c.OwnerId });
        builder.HasIndex(c => new { c.TenantId, c.Status });
    }
}
