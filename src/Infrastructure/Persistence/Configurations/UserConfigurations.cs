using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Persistence.Configurations;

internal static class AccountColumns
{
    public static void ConfigureAccount<T>(this EntityTypeBuilder<T> builder) where T : Account
    {
        builder.ConfigureAggregate();
        builder.Property(a => a.Email).HasMaxLength(FieldLengths.Email).IsRequired();
        builder.Property(a => a.NormalizedEmail).HasMaxLength(FieldLengths.Email).IsRequired();
        builder.Property(a => a.DisplayName).HasMaxLength(Account.DisplayNameMaxLength).IsRequired();
        builder.Property(a => a.PasswordHash).HasMaxLength(512);
        builder.Property(a => a.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Ignore(a => a.IsActive);
    }
}

public sealed class UserConfiguration : IEntityTypeConfiguration<User>, IDeclaresConflicts
{
    public const string EmailIndex = "ix_users_tenant_id_normalized_email";

    public static IReadOnlyDictionary<string, Conflict> Conflicts { get; } = new Dictionary<string, Conflict> { [EmailIndex] = UserConflicts.UserExists };

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.ConfigureAccount();
        builder.ConfigureTenantOwned();
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        // Emails are unique per tenant: the same person may belong to two organisations with one address.
        builder.HasIndex(u => new { u.TenantId, u.NormalizedEmail }).IsUnique().HasDatabaseName(EmailIndex);
        builder.HasIndex(u => new { u.TenantId, u.DisplayName });
    }
}

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ConfigureAggregate();
        builder.ConfigureTenantOwned();
        builder.Property(i => i.Email).HasMaxLength(FieldLengths.Email).IsRequired();
        builder.Property(i => i.NormalizedEmail).HasMaxLength(FieldLengths.Email).IsRequired();
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(i => new { i.TenantId, i.TokenHash }).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.NormalizedEmail });
    }
}

public sealed class PlatformOperatorConfiguration : IEntityTypeConfiguration<PlatformOperator>
{
    public void Configure(EntityTypeBuilder<PlatformOperator> builder)
    {
        builder.ConfigureAccount();
        builder.HasIndex(o => o.NormalizedEmail).IsUnique();
    }
}

public sealed class SignInCodeConfiguration : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> builder)
    {
        builder.ToTable("sign_in_codes");
        builder.ConfigureTenantRow();
        builder.Property(c => c.CodeHash).HasMaxLength(64).IsRequired();
        // A code is tried and used once at a time: two uses (or tries) at the same moment cannot both count.
        builder.Property(c => c.Attempts).IsConcurrencyToken();
        builder.Property(c => c.UsedAt).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(c => new { c.TenantId, c.UserId })
            .HasPrincipalKey(u => new { u.TenantId, u.Id }).OnDelete(DeleteBehavior.Cascade);
        // The newest usable code of a user, and how many were sent lately.
        builder.HasIndex(c => new { c.TenantId, c.UserId, c.CreatedAt });
    }
}
