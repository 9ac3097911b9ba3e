using System.Text.Json;
using CrmTenancy.Domain.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

/// <summary>An export's row; its archive is the <c>content</c> column the migration adds, which only SQL reads and writes.</summary>
public sealed class TenantExportConfiguration : IEntityTypeConfiguration<TenantExport>
{
    public void Configure(EntityTypeBuilder<TenantExport> builder)
    {
        builder.ToTable("tenant_exports");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Failure).HasMaxLength(500);
        builder.HasIndex(e => new { e.TenantId, e.CreatedAt });
    }
}

public sealed class ErasureConfiguration : IEntityTypeConfiguration<Erasure>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Erasure> builder)
    {
        builder.ToTable("erasures");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();
        builder.Property(e => e.SubjectHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Records).HasColumnType("jsonb").IsRequired().HasConversion(
            records => JsonSerializer.Serialize(records, Json),
            json => JsonSerializer.Deserialize<List<ErasedRecord>>(json, Json)!,
            new ValueComparer<IReadOnlyList<ErasedRecord>>((a, b) => a!.SequenceEqual(b!), r => r.Count, r => r.ToList()));
        builder.HasIndex(e => new { e.TenantId, e.SubjectHash });
    }
}
