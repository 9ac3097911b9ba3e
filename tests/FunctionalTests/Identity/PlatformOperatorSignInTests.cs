using System.Net;
using System.Net.Http.Headers;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Identity;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// Platform operators sign in through the same login page with the organisation left empty; they have no tenant,
/// get platform.admin and never a tenant's scopes, and read across tenants only through the platform routes.
/// </summary>
public sealed class PlatformOperatorSignInTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Password = "operator passphrase 1";

    [Fact]
    public async Task An_operator_signs_in_without_an_organisation_and_reads_across_tenants_but_no_tenant_route()
    {
        var account = await AddOperatorAsync("ops@platform.example");
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(account, "openid email platform.admin crm.read crm.admin");

        Assert.Equal(["email", "openid", "platform.admin"], tokens.Scope.Split(' ').Order());
        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var me = await Json(await api.GetAsync("/api/me"));
        Assert.Equal(["PlatformAdmin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("tenant").ValueKind);

        using var tenants = await api.GetAsync("/api/platform/tenants");
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Equal(2, (await Json(tenants)).GetArrayLength());
        foreach (var url in new[] { "/api/customers", "/api/team/users", "/api/clients" })
        {
            using var response = await api.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var userInfo = await Json(await api.GetAsync("/connect/userinfo"));
        Assert.Equal(account.Id.ToString(), userInfo.GetProperty("sub").GetString());
        Assert.Equal("ops@platform.example", userInfo.GetProperty("email").GetString());
        Assert.False(userInfo.TryGetProperty("tenant_id", out _));
    }

    [Fact]
    public async Task An_operator_cannot_sign_in_as_a_tenants_user_nor_a_tenants_user_as_an_operator()
    {
        var account = await AddOperatorAsync("ops@platform.example");
        var user = await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);

        using var asTenant = new SignIn(Factory);
        using (var response = await asTenant.PostLoginAsync(asTenant.AuthorizeUrl(), TenantA.Slug, account.Email, Password))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var asOperator = new SignIn(Factory);
        using (var response = await asOperator.PostLoginAsync(asOperator.AuthorizeUrl(), "", user.Email, user.Password))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<TestUser> AddOperatorAsync(string email)
    {
        await using var db = Factory.Database.Owner();
        var account = PlatformOperator.Create(email, "Operator");
        ((IAccountCredentials)account).PasswordHash = new PasswordHasher<PlatformOperator>().HashPassword(account, Password);
        db.PlatformOperators.Add(account);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        // SignIn reads the organisation (none), email and password; an operator has no tenant and no tenant role.
        return new TestUser(account.Id, Guid.Empty, "", email, Password, UserRole.Member);
    }
}
