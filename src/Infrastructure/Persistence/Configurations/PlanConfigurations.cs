using CrmTenancy.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans");
        builder.HasKey(p => p.Code);
        builder.Property(p => p.Code).HasMaxLength(Plan.CodeMaxLength);
        builder.Property(p => p.Name).HasMaxLength(64).IsRequired();
        // Owned: a plan is read with its limits, always (the specification evaluator applies no includes).
        builder.OwnsMany(p => p.Limits, limit =>
        {
            limit.ToTable("plan_limits");
            limit.WithOwner().HasForeignKey(l => l.PlanCode);
            limit.HasKey(l => new { l.PlanCode, l.Resource });
            limit.Property(l => l.PlanCode).HasMaxLength(Plan.CodeMaxLength);
            limit.Property(l => l.Resource).HasMaxLength(ResourceMaxLength);
        });
        builder.Navigation(p => p.Limits).UsePropertyAccessMode(PropertyAccessMode.Field);
    }

    public const int ResourceMaxLength = 32;
}

/// <summary>Kept by the database's triggers (<see cref="UsageMigrations"/>); read only here.</summary>
public sealed class TenantUsageConfiguration : IEntityTypeConfiguration<TenantUsage>
{
    public void Configure(EntityTypeBuilder<TenantUsage> builder)
    {
        builder.ToTable("tenant_usage");
        builder.HasKey(u => new { u.TenantId, u.Resource, u.Period });
        builder.Property(u => u.Resource).HasMaxLength(PlanConfiguration.ResourceMaxLength);
        builder.Property(u => u.Period).HasMaxLength(7);
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
