using CrmTenancy.Domain.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class PlatformAccessRecordConfiguration : IEntityTypeConfiguration<PlatformAccessRecord>
{
    public void Configure(EntityTypeBuilder<PlatformAccessRecord> builder)
    {
        builder.ConfigureTenantRow();
        builder.Property(r => r.Actor).HasMaxLength(PlatformAccessRecord.ActorMaxLength).IsRequired();
        builder.Property(r => r.Action).HasMaxLength(PlatformAccessRecord.ActionMaxLength).IsRequired();
        builder.Property(r => r.Details).HasMaxLength(PlatformAccessRecord.DetailsMaxLength);
        builder.HasIndex(r => new { r.TenantId, r.At });
    }
}
