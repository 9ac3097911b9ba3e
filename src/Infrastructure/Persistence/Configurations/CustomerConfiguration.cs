using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.Name).HasMaxLength(Customer.NameMaxLength).IsRequired();
        builder.Property(c => c.Email).HasMaxLength(FieldLengths.Email);
        builder.Property(c => c.Phone).HasMaxLength(FieldLengths.Phone);
        builder.Property(c => c.CompanyName).HasMaxLength(Customer.CompanyNameMaxLength);
        builder.Property(c => c.Industry).HasMaxLength(Customer.IndustryMaxLength);
        builder.Property(c => c.CompanySize).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Website).HasMaxLength(FieldLengths.Url);
        builder.Property(c => c.Notes).HasMaxLength(FieldLengths.Notes);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Tags).IsRequired();
        builder.Property(c => c.TotalRevenue).HasPrecision(18, 2);
        // Written by the customer for its own fields; a trigger appends its contacts' (migration CustomerSearchText).
        builder.Property(c => c.SearchText).IsRequired();

        builder.Navigation(c => c.Contacts).HasField("_contacts").UsePropertyAccessMode(PropertyAccessMode.Field);

        // Every index leads with tenant_id. The trigram index for search, (tenant_id, search_text gin_trgm_ops), is
        // created in the migration, like the contacts' (tenant_id, lower(column)) ones (docs/decisions/0009).
        // Members of owner-only tenants read shared records too: (owner OR assignee OR shared) is a bitmap OR of three indexes.
        // The company (business unit): a composite key with the tenant, so a record can only be in its own tenant's company;
        // a company that records still belong to cannot be deleted (409).
        builder.HasOne<Domain.Companies.Company>().WithMany().HasForeignKey(c => new { c.TenantId, c.CompanyId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.TenantId, "ix_customers_shared").HasFilter("shared");
        builder.HasIndex(c => new { c.TenantId, c.Name });
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt });
        builder.HasIndex(c => new { c.TenantId, c.UpdatedAt });
        builder.HasIndex(c => new { c.TenantId, c.Status });
        // The dashboard: counts and revenue by status and source come from an index alone, over a generated column of
        // the revenue in cents (summing bigint is several times faster than numeric), both made in the DashboardSpeed
        // migration, which EF Core does not model; and the top customers by revenue from this one.
        builder.HasIndex(c => new { c.TenantId, c.TotalRevenue, c.Id }).IsDescending(false, true, false);
        builder.HasIndex(c => new { c.TenantId, c.AssigneeId });
        builder.HasIndex(c => new { c.TenantId, c.Tags }).HasMethod("gin");
    }
}
