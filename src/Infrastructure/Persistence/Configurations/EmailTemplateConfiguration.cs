using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Domain.EmailTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>, IDeclaresConflicts
{
    public const string NameIndex = "ix_email_templates_tenant_id_normalized_name";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict>
    {
        [NameIndex] = EmailTemplateConflicts.NameTaken,
    };

    public void Configure(EntityTypeBuilder<EmailTemplate> builder)
    {
        builder.ToTable("email_templates");
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();

        builder.Property(t => t.Name).HasMaxLength(EmailTemplate.NameMaxLength).IsRequired();
        builder.Property(t => t.NormalizedName).HasMaxLength(EmailTemplate.NameMaxLength).IsRequired();
        builder.Property(t => t.Subject).HasMaxLength(EmailTemplate.SubjectMaxLength).IsRequired();
        builder.Property(t => t.HtmlBody).HasMaxLength(EmailTemplate.HtmlBodyMaxLength).IsRequired();
        builder.Property(t => t.TextBody).HasMaxLength(EmailTemplate.TextBodyMaxLength).IsRequired();
        builder.HasIndex(t => new { t.TenantId, t.NormalizedName }, NameIndex).IsUnique();
    }
}
