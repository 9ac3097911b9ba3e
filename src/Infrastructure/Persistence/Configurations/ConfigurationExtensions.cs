using CrmTenancy.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public static class ConfigurationExtensions
{
    /// <summary>
    /// The common shape of an aggregate table: PK (Id) with ids from the domain, the version concurrency token,
    /// audit columns; domain events are not persisted.
    /// </summary>
    public static void ConfigureAggregate<T>(this EntityTypeBuilder<T> builder) where T : AggregateRoot
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.CreatedBy).HasMaxLength(FieldLengths.Actor);
        builder.Property(e => e.UpdatedBy).HasMaxLength(FieldLengths.Actor);
        builder.Ignore(e => e.DomainEvents);
    }

    /// <summary>
    /// The tenant keys (docs/decisions/0013): alternate key (TenantId, Id) for composite foreign keys, and the
    /// reference to the tenant itself.
    /// </summary>
    public static void ConfigureTenantOwned<T>(this EntityTypeBuilder<T> builder) where T : AggregateRoot, ITenantOwned
    {
        builder.HasAlternateKey(e => new { e.TenantId, e.Id });
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
    }

    /// <summary>
    /// The same keys for a tenant row that is not an aggregate (records, outbox rows): PK <c>Id</c> given by the code,
    /// alternate key (TenantId, Id), and the reference to the tenant.
    /// </summary>
    public static void ConfigureTenantRow<T>(this EntityTypeBuilder<T> builder) where T : class, ITenantOwned
    {
        const string id = "Id";
        builder.HasKey(id);
        builder.Property(id).ValueGeneratedNever();
        builder.HasAlternateKey(nameof(ITenantOwned.TenantId), id);
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
