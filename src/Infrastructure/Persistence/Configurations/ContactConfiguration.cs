using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>, IDeclaresConflicts
{
    public const string EmailIndex = "ix_contacts_tenant_id_normalized_email";
    /// <summary>Created in SQL by the Initial migration (a deferred exclusion constraint, which EF Core does not model).</summary>
    public const string OnePrimaryConstraint = "ex_contacts_one_primary_per_customer";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict>
    {
        [EmailIndex] = ContactConflicts.EmailTaken,
        [OnePrimaryConstraint] = ContactConflicts.PrimaryTaken,
    };

    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.FirstName).HasMaxLength(Contact.NameMaxLength).IsRequired();
        builder.Property(c => c.LastName).HasMaxLength(Contact.NameMaxLength).IsRequired();
        builder.Property(c => c.Email).HasMaxLength(FieldLengths.Email);
        builder.Property(c => c.NormalizedEmail).HasMaxLength(FieldLengths.Email);
        builder.Property(c => c.Phone).HasMaxLength(FieldLengths.Phone);
        builder.Property(c => c.Title).HasMaxLength(Contact.TitleMaxLength);
        builder.Property(c => c.Company).HasMaxLength(Contact.CompanyMaxLength);
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);

        // The link to a customer is a composite reference (tenant_id, customer_id) -> customers (tenant_id, id):
        // a contact can never point into another tenant. Deleting a customer unlinks its contacts in the
        // handler first (SET NULL would also null tenant_id), so the database only restricts.
        builder.HasOne<Customer>()
            .WithMany(c => c.Contacts)
            .HasForeignKey(c => new { c.TenantId, c.CustomerId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id })
            .OnDelete(DeleteBehavior.Restrict);

        // Email is unique per tenant, case-insensitively (the same email may exist in another tenant).
        // Members of owner-only tenants read shared records too: (owner OR assignee OR shared) is a bitmap OR of three indexes.
        builder.HasIndex(c => c.TenantId, "ix_contacts_shared").HasFilter("shared");
        builder.HasIndex(c => new { c.TenantId, c.NormalizedEmail }).IsUnique().HasFilter("normalized_email IS NOT NULL")
            .HasDatabaseName(EmailIndex);
        builder.HasIndex(c => new { c.TenantId, c.LastName, c.FirstName });
        // "At most one primary contact per customer" is a deferred exclusion constraint in the migration, so
        // moving the flag from one contact to another within one save never trips it.
    }
}
