using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>The authorization code flow with PKCE end to end: login page, code, tokens, the API as the user.</summary>
public sealed class AuthorizationCodeFlowTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_tenant_admin_signs_in_through_the_login_page_and_calls_the_api_as_themselves()
    {
        var admin = await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(admin);

        Assert.NotNull(tokens.RefreshToken);
        Assert.NotNull(tokens.IdToken);
        Assert.Contains("crm.admin", tokens.Scope.Split(' '));

        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);
        var me = await Json(await api.GetAsync("/api/me"));
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal(admin.Id, me.GetProperty("userId").GetGuid());
        Assert.Equal(TenantA.Id, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal(["TenantAdmin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var created = await CreateCustomerAsync(api, new { name = "Made by a person" });
        Assert.Equal(admin.Id, created.GetProperty("ownerId").GetGuid());
        using var team = await api.GetAsync("/api/team/users");
        Assert.Equal(HttpStatusCode.OK, team.StatusCode);
    }

    [Fact]
    public async Task A_member_gets_no_admin_scope_and_403_from_admin_endpoints()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example", UserRole.Member);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        Assert.DoesNotContain("crm.admin", tokens.Scope.Split(' '));

        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);
        foreach (var (method, url) in new[] { ("GET", "/api/team/users"), ("POST", "/api/team/invitations"), ("GET", "/api/clients"), ("POST", "/api/clients") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST")
                request.Content = JsonContent.Create(new { email = "x@a.example", role = "member", name = "x", scopes = new[] { "crm.read" } });
            using var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }
}
