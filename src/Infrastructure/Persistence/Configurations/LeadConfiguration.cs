using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.ToTable("leads");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(l => l.FirstName).HasMaxLength(Lead.NameMaxLength).IsRequired();
        builder.Property(l => l.LastName).HasMaxLength(Lead.NameMaxLength).IsRequired();
        builder.Property(l => l.Email).HasMaxLength(FieldLengths.Email);
        builder.Property(l => l.NormalizedEmail).HasMaxLength(FieldLengths.Email);
        builder.Property(l => l.Phone).HasMaxLength(FieldLengths.Phone);
        builder.Property(l => l.CompanyName).HasMaxLength(Lead.CompanyMaxLength);
        builder.Property(l => l.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Interest).HasMaxLength(Lead.InterestMaxLength);
        builder.Property(l => l.VolumeTier).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Tags).IsRequired();
        builder.Property(l => l.Notes).HasMaxLength(FieldLengths.Notes);
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        // A number, New 0 to Converted 4, so the funnel counts "reached at least" with >=.
        builder.Property(l => l.FurthestStage).HasConversion<short>();
        builder.Property(l => l.LostReason).HasMaxLength(Lead.LostReasonMaxLength);
        builder.Property(l => l.SearchText).IsRequired();
        builder.Ignore(l => l.IsOpen);

        // Every index leads with tenant_id; the trigram index for search, (tenant_id, search_text gin_trgm_ops), is
        // created in the migration (docs/decisions/0020).
        // The "updated" order, COALESCE(updated_at, created_at) then id, has an expression index of its own in the
        // migration (LeadListIndexes), as the customers' recent view does.
        // Members of owner-only tenants read shared records too: (owner OR assignee OR shared) is a bitmap OR of three indexes.
        // The company (business unit): a composite key with the tenant, so a record can only be in its own tenant's company;
        // a company that records still belong to cannot be deleted (409).
        builder.HasOne<Domain.Companies.Company>().WithMany().HasForeignKey(l => new { l.TenantId, l.CompanyId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => l.TenantId, "ix_leads_shared").HasFilter("shared");
        builder.HasIndex(l => new { l.TenantId, l.CapturedAt }).IncludeProperties(l => l.FurthestStage);
        builder.HasIndex(l => new { l.TenantId, l.LastName, l.FirstName });
        // The converted customer is a composite foreign key (tenant_id, converted_customer_id) made in the migration:
        // ON DELETE SET NULL (converted_customer_id) clears the link alone, which EF Core cannot express.
        builder.HasIndex(l => new { l.TenantId, l.ConvertedCustomerId });
        builder.HasIndex(l => new { l.TenantId, l.Status });
        builder.HasIndex(l => new { l.TenantId, l.AssigneeId });
        builder.HasIndex(l => new { l.TenantId, l.Tags }).HasMethod("gin");
        // A capture looks for the person's open lead by email.
        builder.HasIndex(l => new { l.TenantId, l.NormalizedEmail });
    }
}
