using System.Text.Json;
using System.Text.Json.Serialization;
using CrmTenancy.Domain.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    /// <summary>The audience as stored: web JSON, enums by name (readable in the database, stable when enums grow).</summary>
    private static readonly JsonSerializerOptions AudienceJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.ToTable("campaigns");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.Name).HasMaxLength(Campaign.NameMaxLength).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(Campaign.DescriptionMaxLength);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Audience).HasColumnType("jsonb").IsRequired().HasConversion(
            audience => JsonSerializer.Serialize(audience, AudienceJson),
            json => JsonSerializer.Deserialize<CampaignAudience>(json, AudienceJson)!,
            new ValueComparer<CampaignAudience>((a, b) => a!.Equals(b), a => a.GetHashCode(), a => a));
        builder.Ignore(c => c.IsEditable);
        builder.Ignore(c => c.TakesTargets);

        // The list: the newest first, by status, channel or owner; members of owner-only tenants read their own and shared ones.
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.Status });
        builder.HasIndex(c => new { c.TenantId, c.OwnerId });
        builder.HasIndex(c => c.TenantId, "ix_campaigns_shared").HasFilter("shared");
    }
}

public sealed class CampaignTargetConfiguration : IEntityTypeConfiguration<CampaignTarget>
{
    public void Configure(EntityTypeBuilder<CampaignTarget> builder)
    {
        builder.ToTable("campaign_targets");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(t => t.Name).HasMaxLength(CampaignTarget.NameMaxLength).IsRequired();
        builder.Property(t => t.Phone).HasMaxLength(Domain.Common.FieldLengths.Phone);
        builder.Property(t => t.Email).HasMaxLength(Domain.Common.FieldLengths.Email);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(16);

        // The campaign: composite with the tenant, so a target is only ever its own tenant's campaign's; deleting a draft
        // deletes its targets. The contact and the lead are composite foreign keys made in the migration: ON DELETE SET
        // NULL (contact_id) keeps the target (its calls and statistics) when the person is deleted.
        builder.HasOne<Campaign>().WithMany().HasForeignKey(t => new { t.TenantId, t.CampaignId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Cascade);
        // A person is a campaign's target once; the pages of a campaign's targets in id order, by state.
        builder.HasIndex(t => new { t.TenantId, t.CampaignId, t.ContactId }).IsUnique().HasFilter("contact_id IS NOT NULL");
        builder.HasIndex(t => new { t.TenantId, t.CampaignId, t.LeadId }).IsUnique().HasFilter("lead_id IS NOT NULL");
        builder.HasIndex(t => new { t.TenantId, t.CampaignId, t.Id });
        builder.HasIndex(t => new { t.TenantId, t.CampaignId, t.State, t.Id });
        builder.HasIndex(t => new { t.TenantId, t.ContactId });
        builder.HasIndex(t => new { t.TenantId, t.LeadId });
    }
}
