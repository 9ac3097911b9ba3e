using System.Text.Json;
using System.Text.Json.Serialization;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

/// <summary>The definitions as jsonb (web names, enums as strings), compared by their JSON.</summary>
internal static class DefinitionJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static PropertyBuilder<WorkflowDefinition> AsDefinitionJson(this PropertyBuilder<WorkflowDefinition> property) =>
        property.HasColumnType("jsonb").IsRequired().HasConversion(
            definition => JsonSerializer.Serialize(definition, Json),
            json => JsonSerializer.Deserialize<WorkflowDefinition>(json, Json)!,
            new ValueComparer<WorkflowDefinition>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                d => JsonSerializer.Serialize(d, Json).GetHashCode(StringComparison.Ordinal),
                d => d));
}

public sealed class WorkflowConfiguration : IEntityTypeConfiguration<Workflow>, IDeclaresConflicts
{
    public const string NameIndex = "ix_workflows_tenant_id_normalized_name";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict>
    {
        [NameIndex] = WorkflowConflicts.NameTaken,
    };

    public void Configure(EntityTypeBuilder<Workflow> builder)
    {
        builder.ToTable("workflows");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();
        builder.Property(w => w.Name).HasMaxLength(Workflow.NameMaxLength).IsRequired();
        builder.Property(w => w.NormalizedName).HasMaxLength(Workflow.NameMaxLength).IsRequired();
        builder.Property(w => w.Definition).AsDefinitionJson();
        builder.Property(w => w.TriggerKind).HasConversion<string>().HasMaxLength(24);
        builder.Property(w => w.TriggerTag).HasMaxLength(Domain.Customers.CustomerTags.MaxLength);
        builder.Property(w => w.TriggerStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.WebhookSecret).HasMaxLength(64).IsRequired();
        builder.HasIndex(w => new { w.TenantId, w.NormalizedName }, NameIndex).IsUnique();
        builder.HasIndex(w => new { w.TenantId, w.TriggerKind, w.Enabled });
    }
}

public sealed class WorkflowVersionConfiguration : IEntityTypeConfiguration<WorkflowVersion>
{
    public void Configure(EntityTypeBuilder<WorkflowVersion> builder)
    {
        builder.ToTable("workflow_versions");
        builder.HasKey(v => new { v.TenantId, v.WorkflowId, v.Number });
        builder.Property(v => v.Definition).AsDefinitionJson();
        builder.HasOne<Workflow>().WithMany().HasForeignKey(v => new { v.TenantId, v.WorkflowId })
            .HasPrincipalKey(w => new { w.TenantId, w.Id }).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkflowExecutionConfiguration : IEntityTypeConfiguration<WorkflowExecution>, IDeclaresConflicts
{
    public const string TriggerIndex = "ix_workflow_executions_trigger";
    public const string ContactTriggerIndex = "ix_workflow_executions_contact_trigger";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict>
    {
        [TriggerIndex] = WorkflowConflicts.DuplicateExecution,
        [ContactTriggerIndex] = WorkflowConflicts.DuplicateExecution,
    };

    public void Configure(EntityTypeBuilder<WorkflowExecution> builder)
    {
        builder.ToTable("workflow_executions");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.CurrentStepId).HasMaxLength(WorkflowDefinition.StepIdMaxLength);
        builder.Property(e => e.Error).HasMaxLength(WorkflowExecution.ErrorMaxLength);
        builder.HasOne<WorkflowVersion>().WithMany().HasForeignKey(e => new { e.TenantId, e.WorkflowId, e.WorkflowVersion })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Lead>().WithMany().HasForeignKey(e => new { e.TenantId, e.LeadId })
            .HasPrincipalKey(l => new { l.TenantId, l.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(e => new { e.TenantId, e.ContactId })
            .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TenantId, e.WorkflowId, e.LeadId, e.TriggerEventId }, TriggerIndex).IsUnique();
        builder.HasIndex(e => new { e.TenantId, e.WorkflowId, e.ContactId, e.TriggerEventId }, ContactTriggerIndex).IsUnique();
        builder.HasIndex(e => new { e.TenantId, e.StartedAt });
        builder.HasIndex(e => new { e.TenantId, e.LeadId });
        builder.HasIndex(e => new { e.TenantId, e.ContactId });
        // One person: a lead or a contact, never both, never neither.
        builder.ToTable(t => t.HasCheckConstraint("ck_workflow_executions_one_person", "num_nonnulls(lead_id, contact_id) = 1"));
        builder.HasIndex(e => new { e.TenantId, e.WorkflowId, e.State });
    }
}

public sealed class WorkflowStepRunConfiguration : IEntityTypeConfiguration<WorkflowStepRun>
{
    public void Configure(EntityTypeBuilder<WorkflowStepRun> builder)
    {
        builder.ToTable("workflow_step_runs");
        builder.ConfigureTenantRow();
        builder.Property(r => r.StepId).HasMaxLength(WorkflowDefinition.StepIdMaxLength).IsRequired();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Result).HasMaxLength(WorkflowStepRun.ResultMaxLength);
        builder.Property(r => r.Error).HasMaxLength(WorkflowExecution.ErrorMaxLength);
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(r => new { r.TenantId, r.ExecutionId })
            .HasPrincipalKey(e => new { e.TenantId, e.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TenantId, r.ExecutionId, r.Sequence }).IsUnique();
        // The runner's queue: due pending steps, per tenant (the claim) and across tenants (which tenants have work).
        builder.HasIndex(r => new { r.TenantId, r.DueAt }, "ix_workflow_step_runs_due").HasFilter("state = 'Pending'");
        builder.HasIndex(r => new { r.TenantId, r.WaitingFor }).HasFilter("waiting_for IS NOT NULL");
    }
}

public sealed class AutomationDeliveryConfiguration : IEntityTypeConfiguration<AutomationDelivery>
{
    public void Configure(EntityTypeBuilder<AutomationDelivery> builder)
    {
        builder.ToTable("automation_deliveries");
        builder.ConfigureTenantRow();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Target).HasMaxLength(Domain.Common.FieldLengths.Url).IsRequired();
        builder.Property(d => d.Subject).HasMaxLength(1000);
        builder.Property(d => d.Error).HasMaxLength(WorkflowExecution.ErrorMaxLength);
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(d => new { d.TenantId, d.ExecutionId })
            .HasPrincipalKey(e => new { e.TenantId, e.Id }).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.TenantId, d.DueAt }, "ix_automation_deliveries_due").HasFilter("state = 'Pending'");
        builder.HasIndex(d => new { d.TenantId, d.ExecutionId });
    }
}

public sealed class EmailSuppressionConfiguration : IEntityTypeConfiguration<EmailSuppression>
{
    public void Configure(EntityTypeBuilder<EmailSuppression> builder)
    {
        builder.ToTable("email_suppressions");
        builder.HasKey(s => new { s.TenantId, s.NormalizedEmail });
        builder.Property(s => s.NormalizedEmail).HasMaxLength(Domain.Common.FieldLengths.Email);
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AutomationSettingsConfiguration : IEntityTypeConfiguration<AutomationSettings>
{
    public void Configure(EntityTypeBuilder<AutomationSettings> builder)
    {
        builder.ToTable("automation_settings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.EmailChannel).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Domain.Tenants.Tenant>().WithOne().HasForeignKey<AutomationSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A platform event already applied (its id), so a replay changes nothing.</summary>
public sealed class EmailPlatformEvent : Domain.Common.ITenantOwned
{
    public Guid TenantId { get; set; }
    public string EventId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}

public sealed class EmailPlatformEventConfiguration : IEntityTypeConfiguration<EmailPlatformEvent>
{
    public void Configure(EntityTypeBuilder<EmailPlatformEvent> builder)
    {
        builder.ToTable("email_platform_events");
        builder.HasKey(e => new { e.TenantId, e.EventId });
        builder.Property(e => e.EventId).HasMaxLength(100);
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
