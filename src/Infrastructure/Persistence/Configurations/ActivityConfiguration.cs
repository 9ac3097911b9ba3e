using CrmTenancy.Domain.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ToTable("activities");
        builder.ConfigureTenantRow();

        builder.Property(a => a.Actor).HasMaxLength(Activity.ActorMaxLength).IsRequired();
        builder.Property(a => a.RecordType).HasMaxLength(Activity.RecordTypeMaxLength).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(Activity.ActionMaxLength).IsRequired();
        builder.Property(a => a.Summary).HasMaxLength(Activity.SummaryMaxLength).IsRequired();
        builder.Property(a => a.Fields).IsRequired();
        builder.Property(a => a.FromValue).HasMaxLength(Activity.ValueMaxLength);
        builder.Property(a => a.ToValue).HasMaxLength(Activity.ValueMaxLength);

        // Newest first, the list's order and the dashboard's date range; a record's timeline, by its id alone (ids are
        // unique across record types; also the update that makes its entries follow a new assignee); an actor's
        // entries; a member's entries under owner-only visibility (owned or assigned, a bitmap OR of the two).
        builder.HasIndex(a => new { a.TenantId, a.OccurredAt, a.Id }).IsDescending(false, true, true);
        // The dashboard's activities per day: a generated column occurred_on (the UTC day) and its index
        // (tenant_id, occurred_on), made in the DashboardSpeed migration: grouping reads the index alone, in order.
        builder.HasIndex(a => new { a.TenantId, a.RecordId, a.OccurredAt });
        builder.HasIndex(a => new { a.TenantId, a.Actor, a.OccurredAt });
        // A member of an owner-only tenant reads the entries they own, are assigned or that are shared: a bitmap OR of
        // (tenant_id, owner_id, occurred_on), (tenant_id, assignee_id, occurred_on) and (tenant_id, occurred_on) WHERE
        // shared, made in the MemberDashboardIndexes migration over the generated occurred_on that EF Core does not model.
    }
}
