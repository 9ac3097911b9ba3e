using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Identity.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

// OpenIddict's entities (configured by UseOpenIddict) under the product's names, with the tenant every row carries:
// a platform client's, an operator's or a platform client's own tokens have none (docs/decisions/0019).

public sealed class CrmApplicationConfiguration : IEntityTypeConfiguration<CrmApplication>
{
    public void Configure(EntityTypeBuilder<CrmApplication> builder)
    {
        builder.ToTable("oidc_applications");
        builder.Property(c => c.ClientId).HasMaxLength(CrmApplication.ClientIdMaxLength).IsRequired();
        builder.Property(c => c.DisplayName).HasMaxLength(CrmApplication.NameMaxLength);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.Id }).IsUnique();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.IsPublic);
        builder.Ignore(c => c.Name);
        builder.Ignore(c => c.AllowedScopes);
        builder.Ignore(c => c.RedirectUriList);
        builder.Ignore(c => c.AllowsAuthorizationCode);
    }
}

public sealed class CrmAuthorizationConfiguration : IEntityTypeConfiguration<CrmAuthorization>
{
    public void Configure(EntityTypeBuilder<CrmAuthorization> builder)
    {
        builder.ToTable("oidc_authorizations");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TenantId, a.Subject });
        builder.HasIndex(a => new { a.TenantId, a.Id }).IsUnique();
    }
}

public sealed class CrmTokenConfiguration : IEntityTypeConfiguration<CrmToken>
{
    public void Configure(EntityTypeBuilder<CrmToken> builder)
    {
        builder.ToTable("oidc_tokens");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.TenantId, t.Subject });
        builder.HasIndex(t => new { t.TenantId, t.Id }).IsUnique();
        builder.HasIndex(t => t.ExpirationDate);
    }
}

public sealed class CrmScopeConfiguration : IEntityTypeConfiguration<CrmScope>
{
    public void Configure(EntityTypeBuilder<CrmScope> builder) => builder.ToTable("oidc_scopes");
}
