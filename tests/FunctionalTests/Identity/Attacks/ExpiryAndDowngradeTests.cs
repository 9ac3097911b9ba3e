using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity.Attacks;

/// <summary>Expiry, parameter pollution, downgrades and suspended tenants.</summary>
public sealed class ExpiryAndDowngradeTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- more: expiry, parameter pollution, downgrades, suspended tenants ---------------------------------------

    [Fact]
    public async Task An_expired_code_gets_invalid_grant()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);
        await using (var db = Factory.Database.Owner())
        {
            Assert.Equal(1, await db.OidcTokens.IgnoreQueryFilters().Where(t => t.Subject == member.Id.ToString() && t.Type == OpenIddictConstants.TokenTypeIdentifiers.Private.AuthorizationCode)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpirationDate, DateTime.UtcNow.AddSeconds(-1))));
        }

        using var response = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("token")]
    [InlineData("family")]
    public async Task An_expired_refresh_token_gets_invalid_grant(string expiry)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        await using (var db = Factory.Database.Owner())
        {
            // A family ends 30 days after its sign-in (the authorization's creation).
            Assert.Equal(1, expiry == "token"
                ? await db.OidcTokens.IgnoreQueryFilters().Where(t => t.Subject == member.Id.ToString() && t.Type == OpenIddictConstants.TokenTypeIdentifiers.RefreshToken)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpirationDate, DateTime.UtcNow.AddSeconds(-1)))
                : await db.OidcAuthorizations.IgnoreQueryFilters().Where(a => a.Subject == member.Id.ToString())
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.CreationDate, DateTime.UtcNow.AddDays(-30).AddSeconds(-1))));
        }

        using var response = await RefreshAsync(Factory, tokens.RefreshToken!);
        if (expiry == "token")
        {
            await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
            return;
        }
        // A family's end caps the rotated token's own lifetime: the new token expires with the family.
        var body = await AssertTokensAsync(response);
        var next = body.GetProperty("refresh_token").GetString()!;
        using var after = await RefreshAsync(Factory, next);
        await AssertOAuthErrorAsync(after, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_of_a_user_deactivated_before_redemption_gets_invalid_grant()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        using var response = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("redirect_uri", "https://evil.example/callback")]
    [InlineData("redirect_uri", TestTenants.WebRedirectUri)]
    [InlineData("client_id", "test-web")]
    [InlineData("code_challenge_method", "plain")]
    public async Task A_parameter_sent_twice_gets_a_400_page_and_no_redirect(string name, string secondValue)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        await CodeAsync(signIn, member);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl() + $"&{name}={Uri.EscapeDataString(secondValue)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("token", "unsupported_response_type")]
    [InlineData("id_token", "unsupported_response_type")]
    [InlineData("code id_token", "unsupported_response_type")]
    [InlineData(null, "unsupported_response_type")]
    public async Task The_implicit_and_hybrid_flows_are_refused_with_an_error_redirect(string? responseType, string error)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        await CodeAsync(signIn, member);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(overrides: new Dictionary<string, string?> { ["response_type"] = responseType }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Empty(location.Fragment);
        var query = QueryOf(location);
        Assert.Equal(error, query["error"]);
        Assert.False(query.ContainsKey("code"));
        Assert.False(query.ContainsKey("access_token"));
    }

    [Fact]
    public async Task A_tenant_admin_asking_for_platform_admin_does_not_get_it()
    {
        var admin = await AdminAsync();
        using var signIn = new SignIn(Factory);

        var tokens = await signIn.TokensAsync(admin, "openid crm.read crm.admin platform.admin");

        Assert.Equal("openid crm.read crm.admin", tokens.Scope);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, tokens.AccessToken, "/api/platform/tenants"));
    }

    [Fact]
    public async Task A_suspended_tenants_users_lose_their_tokens_refresh_session_and_sign_in()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        await using (var db = Factory.Database.Owner())
        {
            (await db.Tenants.SingleAsync(t => t.Id == TenantA.Id)).Suspend("Test suspension", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using (var refresh = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        using (var authorize = await signIn.Browser.GetAsync(signIn.AuthorizeUrl()))
        {
            Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
            Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        using var fresh = new SignIn(Factory);
        using var login = await fresh.PostLoginAsync(fresh.AuthorizeUrl(), member.Organisation, member.Email, member.Password);
        // The right password starts no session: the member reads that the organisation is suspended (its reason is
        // for administrators, TenantSuspensionTests).
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Equal(AccountEndpoints.SuspendedForMembers, ErrorText(await login.Content.ReadAsStringAsync()));
        Assert.Null(login.Headers.Location);
        // Tenant B carries on.
        Assert.Equal(HttpStatusCode.OK, (await B.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task Reactivating_a_user_does_not_bring_back_the_refresh_tokens_issued_before_the_deactivation()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        // Deactivated (say, a stolen laptop) and reactivated, with no refresh attempted in between.
        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        using (var reactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/reactivate", null))
            Assert.Equal(HttpStatusCode.OK, reactivate.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");

        // The user signs in afresh and works again.
        using var again = new SignIn(Factory);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, (await again.TokensAsync(member)).AccessToken));
    }

    [Fact]
    public async Task Two_parallel_redemptions_of_one_code_yield_one_token_response()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => signIn.RedeemAsync(code)));
        await AssertExactlyOneWinsAsync(responses);
    }

    [Fact]
    public async Task Two_parallel_refreshes_of_one_token_yield_one_token_response()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(Factory, tokens.RefreshToken!)));
        await AssertExactlyOneWinsAsync(responses);
    }

    /// <summary>Of parallel presentations of one grant, exactly one gets tokens and every other gets invalid_grant.</summary>
    private static async Task AssertExactlyOneWinsAsync(HttpResponseMessage[] responses)
    {
        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                await AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }
        finally
        {
            foreach (var response in responses)
                response.Dispose();
        }
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused_and_signs_no_one_in()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var authorizeUrl = signIn.AuthorizeUrl();

        // A cross-site form: the victim's browser posts the attacker's credentials (login CSRF).
        using var login = await signIn.Browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = authorizeUrl, ["organisation"] = member.Organisation, ["email"] = member.Email, ["password"] = member.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Null(login.Headers.Location);
        using var authorize = await signIn.Browser.GetAsync(authorizeUrl);
        Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_login_page_cannot_be_framed_or_cached()
    {
        using var signIn = new SignIn(Factory);

        using var page = await signIn.Browser.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("DENY", string.Join(",", page.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_state_carrying_parameters_cannot_inject_a_code_or_error_into_the_redirect()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        const string state = "s&code=injected&error=none#frag";

        var redirect = await signIn.AuthorizeAsync(member.Organisation, member.Email, member.Password,
            signIn.AuthorizeUrl(overrides: new Dictionary<string, string?> { ["state"] = state }));

        var query = QueryOf(redirect);
        Assert.Equal(state, query["state"]);
        Assert.NotEqual("injected", query["code"]);
        Assert.False(query.ContainsKey("error"));
        Assert.Empty(redirect.Fragment);
        using var redeemed = await signIn.RedeemAsync(query["code"]);
        await AssertTokensAsync(redeemed);
    }
}
