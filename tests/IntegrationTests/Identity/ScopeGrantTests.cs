using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;

namespace CrmTenancy.IntegrationTests.Identity;

/// <summary>
/// <see cref="Accounts.Grant"/>: what an account gets of what it asked, filtered by the client's allowed
/// scopes and the account's role. Pure unit tests (no database).
/// </summary>
public sealed class ScopeGrantTests
{
    private static readonly string[] Everything = [.. Scopes.Identity, Scopes.Read, Scopes.Write, Scopes.Admin, Scopes.Platform];

    private static IReadOnlyList<string> Client(params string[] allowed) =>
        Infrastructure.Identity.Server.CrmApplication.CreatePublic("web", "Web", allowed, ["https://app.test/callback"], DateTimeOffset.UtcNow).AllowedScopes;

    [Fact]
    public void A_member_gets_read_and_write_but_never_admin_or_platform()
    {
        var granted = Accounts.Grant(Everything, Client(Everything), nameof(UserRole.Member));

        Assert.Equal(["openid", "profile", "email", "offline_access", "crm.read", "crm.write"], granted);
    }

    [Fact]
    public void A_tenant_admin_gets_admin_but_not_platform()
    {
        var granted = Accounts.Grant(Everything, Client(Everything), nameof(UserRole.TenantAdmin));

        Assert.Equal(["openid", "profile", "email", "offline_access", "crm.read", "crm.write", "crm.admin"], granted);
    }

    [Fact]
    public void A_platform_operator_gets_platform_admin_and_no_tenant_scope()
    {
        var granted = Accounts.Grant(Everything, Client(Everything), PlatformOperator.Role);

        Assert.Equal(["openid", "profile", "email", "offline_access", "platform.admin"], granted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tenantadmin")]
    [InlineData("TENANTADMIN")]
    [InlineData("Owner")]
    public void An_unknown_role_gets_the_identity_scopes_only(string role)
    {
        var granted = Accounts.Grant(Everything, Client(Everything), role);

        Assert.Equal(Scopes.Identity, granted);
    }

    [Fact]
    public void The_client_caps_what_even_an_admin_gets()
    {
        var granted = Accounts.Grant(Everything, Client(Scopes.OpenId, Scopes.Read), nameof(UserRole.TenantAdmin));

        Assert.Equal(["openid", "crm.read"], granted);
    }

    [Fact]
    public void Only_what_was_asked_is_granted_once_in_the_order_asked()
    {
        var granted = Accounts.Grant(["crm.write", "openid", "crm.write", "unknown.scope"], Client(Everything), nameof(UserRole.TenantAdmin));

        Assert.Equal(["crm.write", "openid"], granted);
    }

    [Fact]
    public void Scopes_are_matched_exactly()
    {
        var granted = Accounts.Grant(["CRM.READ", "crm.read ", "OpenId"], Client(Everything), nameof(UserRole.TenantAdmin));

        Assert.Empty(granted);
    }

    [Theory]
    [InlineData("TenantAdmin", new[] { "crm.read", "crm.write", "crm.admin" })]
    [InlineData("Member", new[] { "crm.read", "crm.write" })]
    [InlineData("PlatformAdmin", new[] { "platform.admin" })]
    [InlineData("Client", new string[0])]
    public void Each_role_holds_its_api_scopes(string role, string[] scopes) => Assert.Equal(scopes, Accounts.ScopesOfRole(role));
}
