using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity.Attacks;

/// <summary>A deactivated user, and a demoted administrator, lose what they had at once.</summary>
public sealed class DeactivatedAndDemotedUserTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 6. a deactivated user ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_deactivated_user_loses_access_token_refresh_session_and_sign_in_at_once()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
        {
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
            Assert.False((await Json(deactivate)).GetProperty("active").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using (var refresh = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");

        // The browser session from before does not issue codes any more: back to the login page.
        using (var authorize = await signIn.Browser.GetAsync(signIn.AuthorizeUrl()))
        {
            Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
            Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var fresh = new SignIn(Factory);
        using var login = await fresh.PostLoginAsync(fresh.AuthorizeUrl(), member.Organisation, member.Email, member.Password);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(AccountEndpoints.SignInFailed, ErrorText(await login.Content.ReadAsStringAsync()));
    }

    // ---- 11. a demoted admin ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_demoted_admins_old_token_is_refused_and_their_refresh_no_longer_carries_crm_admin()
    {
        var admin = await AdminAsync();
        var demoted = await AdminAsync("second-admin@a.example");
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(demoted);
        Assert.Contains(Scopes.Admin, tokens.Scope.Split(' '));
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken, "/api/team/users"));

        using (var change = await adminApi.PutAsJsonAsync($"/api/team/users/{demoted.Id}/role", new { role = "member" }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            Assert.Equal("member", (await Json(change)).GetProperty("role").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        var body = await AssertTokensAsync(refresh);
        var scopes = body.GetProperty("scope").GetString()!.Split(' ');
        Assert.DoesNotContain(Scopes.Admin, scopes);
        Assert.Contains(Scopes.Read, scopes);
        var access = body.GetProperty("access_token").GetString()!;
        Assert.Equal(nameof(UserRole.Member), ForgedTokens.Decode(access).Payload["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, access));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, access, "/api/team/users"));
    }
}
