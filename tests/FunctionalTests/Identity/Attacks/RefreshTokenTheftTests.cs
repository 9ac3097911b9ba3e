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

/// <summary>Refresh token rotation, and what a stolen refresh token can do.</summary>
public sealed class RefreshTokenTheftTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 5. refresh token rotation and theft --------------------------------------------------------------------

    [Fact]
    public async Task A_refresh_rotates_the_token_and_reusing_the_old_one_revokes_the_whole_family()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        var first = tokens.RefreshToken!;

        using var rotated = await RefreshAsync(Factory, first);
        var body = await AssertTokensAsync(rotated);
        var second = body.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        Assert.NotEqual(tokens.AccessToken, body.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, body.GetProperty("access_token").GetString()!));

        using var reuse = await RefreshAsync(Factory, first);
        await AssertOAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");

        // The thief (or the user) holding the newer token is cut off too.
        using var newer = await RefreshAsync(Factory, second);
        await AssertOAuthErrorAsync(newer, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_token_presented_by_another_client_gets_invalid_grant_and_stays_usable_by_its_own()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        using (var confidential = await RefreshAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, TenantA.ClientSecret))
            await AssertOAuthErrorAsync(confidential, HttpStatusCode.BadRequest, "invalid_grant");
        await AddPublicClientAsync(Factory, "other-web", "https://other.test/cb");
        using (var otherPublic = await RefreshAsync(Factory, tokens.RefreshToken!, "other-web"))
            await AssertOAuthErrorAsync(otherPublic, HttpStatusCode.BadRequest, "invalid_grant");
        // The public client itself, pretending to have a secret, fails authentication.
        using (var withSecret = await RefreshAsync(Factory, tokens.RefreshToken!, TestTenants.WebClientId, "made-up-secret"))
            await AssertOAuthErrorAsync(withSecret, HttpStatusCode.Unauthorized, "invalid_client");

        using var own = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertTokensAsync(own);
    }

    [Fact]
    public async Task A_refresh_token_with_an_edited_tenant_prefix_gets_invalid_grant()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        var refresh = tokens.RefreshToken!;
        Assert.StartsWith(TenantA.Id.ToString("N"), refresh, StringComparison.Ordinal);

        using var edited = await RefreshAsync(Factory, TenantB.Id.ToString("N") + refresh[32..]);
        await AssertOAuthErrorAsync(edited, HttpStatusCode.BadRequest, "invalid_grant");
        using var tenantless = await RefreshAsync(Factory, Guid.Empty.ToString("N") + refresh[32..]);
        await AssertOAuthErrorAsync(tenantless, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scopes_but_never_widen_them()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member, "openid offline_access crm.read");

        using (var wider = await RefreshAsync(Factory, tokens.RefreshToken!, scope: "openid crm.read crm.write"))
            await AssertOAuthErrorAsync(wider, HttpStatusCode.BadRequest, "invalid_scope");

        // The refused request spent nothing: the same token narrows.
        using var narrower = await RefreshAsync(Factory, tokens.RefreshToken!, scope: "crm.read");
        Assert.Equal("crm.read", (await AssertTokensAsync(narrower)).GetProperty("scope").GetString());
    }
}
