using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Companies;
using CrmTenancy.Domain.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>, IDeclaresConflicts
{
    public const string NameIndex = "ix_companies_tenant_id_normalized_name";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict>
    {
        [NameIndex] = CompanyConflicts.NameTaken,
    };

    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("companies");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(c => c.Name).HasMaxLength(Company.NameMaxLength).IsRequired();
        builder.Property(c => c.NormalizedName).HasMaxLength(Company.NameMaxLength).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(Company.DescriptionMaxLength);
        builder.HasIndex(c => new { c.TenantId, c.NormalizedName }, NameIndex).IsUnique();
    }
}
