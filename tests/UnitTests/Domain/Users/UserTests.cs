using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.UnitTests.Domain.Users;

public sealed class UserTests
{
    private static readonly Guid Tenant = Guid.CreateVersion7();

    [Fact]
    public void A_new_user_has_a_normalised_email_a_security_stamp_and_raises_joined()
    {
        var user = User.Create(Tenant, "  Ann@Example.com ", "Ann", UserRole.Member);

        Assert.Equal("Ann@Example.com", user.Email);
        Assert.Equal("ANN@EXAMPLE.COM", user.NormalizedEmail);
        Assert.Equal(32, user.SecurityStamp.Length);
        Assert.True(user.IsActive);
        Assert.False(user.EmailConfirmed);
        var joined = Assert.IsType<UserJoined>(Assert.Single(user.DomainEvents));
        Assert.Equal((Tenant, user.Id, UserRole.Member), (joined.TenantId, joined.UserId, joined.Role));
    }

    [Fact]
    public void Changing_the_role_renews_the_stamp_and_keeping_it_changes_nothing()
    {
        var user = User.Create(Tenant, "ann@example.com", "Ann", UserRole.TenantAdmin);
        var stamp = user.SecurityStamp;

        user.ChangeRole(UserRole.TenantAdmin);
        Assert.Equal(stamp, user.SecurityStamp);

        user.ChangeRole(UserRole.Member);
        Assert.Equal(UserRole.Member, user.Role);
        Assert.NotEqual(stamp, user.SecurityStamp);
        Assert.Contains(user.DomainEvents, e => e is UserRoleChanged { Role: UserRole.Member });
    }

    [Fact]
    public void Deactivation_renews_the_stamp_once_and_reactivation_renews_it_again()
    {
        var user = User.Create(Tenant, "ann@example.com", "Ann", UserRole.Member);
        var created = user.SecurityStamp;
        var now = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

        user.Deactivate(now);
        Assert.False(user.IsActive);
        Assert.Equal(now, user.DeactivatedAt);
        var deactivated = user.SecurityStamp;
        Assert.NotEqual(created, deactivated);
        Assert.Contains(user.DomainEvents, e => e is UserDeactivated);
        Assert.Equal("user-already-deactivated", Assert.Throws<DomainRuleException>(() => user.Deactivate(now)).Rule);

        user.Reactivate();
        Assert.True(user.IsActive);
        Assert.NotEqual(deactivated, user.SecurityStamp);
        Assert.Equal("user-already-active", Assert.Throws<DomainRuleException>(user.Reactivate).Rule);
    }

    [Fact]
    public void An_undefined_role_or_an_empty_tenant_or_email_is_refused()
    {
        Assert.Equal("role-invalid", Assert.Throws<DomainRuleException>(() => User.Create(Tenant, "a@b.example", "A", (UserRole)42)).Rule);
        Assert.Equal("tenant-required", Assert.Throws<DomainRuleException>(() => User.Create(Guid.Empty, "a@b.example", "A", UserRole.Member)).Rule);
        Assert.Equal("email-required", Assert.Throws<DomainRuleException>(() => User.Create(Tenant, " ", "A", UserRole.Member)).Rule);
    }
}
