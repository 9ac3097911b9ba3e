using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Plans;
using CrmTenancy.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>, IDeclaresConflicts
{
    public const string SlugIndex = "ix_tenants_slug";
    public const string TagPrefixIndex = "ix_tenants_tag_prefix";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict> { [SlugIndex] = TenantConflicts.SlugTaken };

    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ConfigureAggregate();
        builder.Property(t => t.Name).HasMaxLength(Tenant.NameMaxLength).IsRequired();
        builder.Property(t => t.Slug).HasMaxLength(Tenant.SlugMaxLength).IsRequired();
        builder.HasIndex(t => t.Slug).IsUnique().HasDatabaseName(SlugIndex);
        builder.Property(t => t.TagPrefix).HasMaxLength(TagPrefix.Length).IsRequired();
        builder.HasIndex(t => t.TagPrefix).IsUnique().HasDatabaseName(TagPrefixIndex);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.RecordVisibility).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.SuspensionReason).HasMaxLength(Tenant.SuspensionReasonMaxLength);
        builder.Property(t => t.PlanCode).HasMaxLength(Plan.CodeMaxLength).IsRequired();
        builder.HasOne<Plan>().WithMany().HasForeignKey(t => t.PlanCode).HasPrincipalKey(p => p.Code).OnDelete(DeleteBehavior.Restrict);
        // The recommendation thresholds are three columns; existing tenants get the defaults in the migration.
        builder.Ignore(t => t.Recommendations);
        // The tenant's outbox counter (Infrastructure/Outbox): not domain state, so a shadow property.
        builder.Property<long>(Outbox.OutboxWriter.SequenceProperty);
    }
}
