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

/// <summary>Authorization codes: replayed, presented by another client or with another redirect_uri, and PKCE downgrades.</summary>
public sealed class CodeAttackTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 1. authorization code replay --------------------------------------------------------------------------

    [Fact]
    public async Task A_replayed_code_gets_invalid_grant_and_revokes_the_refresh_token_its_first_redemption_issued()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        using var first = await signIn.RedeemAsync(code);
        var refreshToken = (await AssertTokensAsync(first)).GetProperty("refresh_token").GetString()!;

        using var replay = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");

        using var refresh = await RefreshAsync(Factory, refreshToken);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // ---- 2. a code presented by another client or with another redirect_uri -----------------------------------

    [Fact]
    public async Task A_code_redeemed_by_another_client_gets_invalid_grant()
    {
        await AddPublicClientAsync(Factory, "other-web", TestTenants.WebRedirectUri);
        var portalSecret = await AddConfidentialClientAsync(Factory, TenantA.Id, "tenant-a-portal", [.. Scopes.Tenant], TestTenants.WebRedirectUri);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);

        // Another public client with the very same redirect URI and the right verifier.
        using (var otherPublic = await RedeemAsync(Factory, await CodeAsync(signIn, member), "other-web", null, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(otherPublic, HttpStatusCode.BadRequest, "invalid_grant");

        // A confidential client of the user's own tenant, authenticated with its secret.
        using (var portal = await RedeemAsync(Factory, await CodeAsync(signIn, member), "tenant-a-portal", portalSecret, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(portal, HttpStatusCode.BadRequest, "invalid_grant");

        // Tenant A's integration client (client_credentials only) may not use the grant at all.
        using (var integration = await RedeemAsync(Factory, await CodeAsync(signIn, member), TenantA.ClientId, TenantA.ClientSecret, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(integration, HttpStatusCode.BadRequest, "unauthorized_client");

        // Control: the client the code was issued to redeems a fresh one.
        using var own = await signIn.RedeemAsync(await CodeAsync(signIn, member));
        await AssertTokensAsync(own);
    }

    [Fact]
    public async Task A_code_redeemed_with_another_or_no_redirect_uri_gets_invalid_grant()
    {
        await AddPublicClientAsync(Factory, "two-uris", TestTenants.WebRedirectUri, OtherRedirectUri);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        string Url() => signIn.AuthorizeUrl(clientId: "two-uris", redirectUri: TestTenants.WebRedirectUri);

        // The other URI is registered for the same client: still not the one the code was issued for.
        using (var other = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, OtherRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(other, HttpStatusCode.BadRequest, "invalid_grant");
        using (var missing = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, null, signIn.Verifier))
            await AssertOAuthErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_grant");
        using (var slash = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, TestTenants.WebRedirectUri + "/", signIn.Verifier))
            await AssertOAuthErrorAsync(slash, HttpStatusCode.BadRequest, "invalid_grant");

        using var right = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, TestTenants.WebRedirectUri, signIn.Verifier);
        await AssertTokensAsync(right);
    }

    // ---- 3. PKCE ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong")]
    [InlineData("the challenge itself")]
    [InlineData("too short")]
    public async Task A_code_redeemed_without_the_right_code_verifier_gets_invalid_grant(string verifierCase)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);
        var verifier = verifierCase switch
        {
            "missing" => null,
            "wrong" => SignIn.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            "the challenge itself" => signIn.Challenge,
            _ => signIn.Verifier[..42],
        };

        using var response = await RedeemAsync(Factory, code, TestTenants.WebClientId, null, TestTenants.WebRedirectUri, verifier);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task The_right_code_verifier_redeems_the_code()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);

        using var response = await RedeemAsync(Factory, await CodeAsync(signIn, member), TestTenants.WebClientId, null, TestTenants.WebRedirectUri, signIn.Verifier);
        var tokens = await AssertTokensAsync(response);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.GetProperty("access_token").GetString()!));
    }

    [Theory]
    [InlineData("plain", "verifier")]
    [InlineData("PLAIN", "verifier")]
    [InlineData("s256", "challenge")]
    [InlineData(null, "challenge")]
    [InlineData("S256", null)]
    [InlineData(null, null)]
    [InlineData("S256", "short")]
    public async Task An_authorize_request_without_pkce_s256_is_sent_back_with_invalid_request_the_state_and_the_issuer(string? method, string? challenge)
    {
        using var signIn = new SignIn(Factory);
        var url = signIn.AuthorizeUrl(overrides: new Dictionary<string, string?>
        {
            ["code_challenge_method"] = method,
            ["code_challenge"] = challenge switch { "verifier" => signIn.Verifier, "challenge" => signIn.Challenge, "short" => signIn.Challenge[..42], _ => null },
        });

        using var response = await signIn.Browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(TestTenants.WebRedirectUri + "?", location.OriginalString, StringComparison.Ordinal);
        var query = QueryOf(location);
        Assert.Equal("invalid_request", query["error"]);
        Assert.Equal(signIn.State, query["state"]);
        Assert.Equal(ApiFactory.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task An_error_redirect_without_state_carries_no_state_but_still_the_issuer()
    {
        using var signIn = new SignIn(Factory);
        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(overrides: new Dictionary<string, string?>
        {
            ["state"] = null, ["code_challenge_method"] = "plain",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryOf(response.Headers.Location!);
        Assert.Equal("invalid_request", query["error"]);
        Assert.False(query.ContainsKey("state"));
        Assert.Equal(ApiFactory.Issuer, query["iss"]);
    }
}
