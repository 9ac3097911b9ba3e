using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

public sealed class OAuthClientConfiguration : IEntityTypeConfiguration<OAuthClient>
{
    public void Configure(EntityTypeBuilder<OAuthClient> builder)
    {
        builder.ToTable("oauth_clients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClientId).HasMaxLength(OAuthClient.ClientIdMaxLength).IsRequired();
        builder.HasIndex(c => c.ClientId).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(OAuthClient.NameMaxLength).IsRequired();
        builder.Property(c => c.SecretHash).HasMaxLength(200);
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.AllowedScopes).IsRequired();
        builder.Property(c => c.RedirectUris).IsRequired();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        // The tenant key every tenant table has (a platform client's tenant is null).
        builder.HasIndex(c => new { c.TenantId, c.Id }).IsUnique();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.IsPublic);
        builder.Ignore(c => c.AllowsAuthorizationCode);
    }
}

public sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasMaxLength(64);
        builder.Property(k => k.Algorithm).HasMaxLength(16).IsRequired();
        builder.Property(k => k.PrivateKey).IsRequired();
    }
}
